import { readFile } from "node:fs/promises";
import path from "node:path";
import type { LoadedSlos } from "./deps.ts";

/**
 * Runs `load` once and shares its promise with every later caller, except after a
 * failure: then the next call tries again (a transient read error must not stick to
 * the container for its whole life).
 */
function onceUntilFailure<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/**
 * Loads the OpenSLO folder once per container and keeps the result: definitions are
 * bundled with the function and never change while it lives. A failed read is not
 * cached, so the next invocation tries again. The YAML parser and schema validation are
 * imported on first use, so the module initialisation of a cold start does not pay for
 * them before the first run needs them.
 *
 * @example
 * const loadSlos = cachedSloLoader("slos");
 * const { slos, problems } = await loadSlos();
 */
export function cachedSloLoader(
  dir: string,
  cwd: string = process.cwd(),
): () => Promise<LoadedSlos> {
  return onceUntilFailure(async () => {
    const { formatSpecIssues, loadSloFiles } = await import("@slo/core/spec");
    const result = await loadSloFiles([path.resolve(cwd, dir)]);
    const problems = result.issues.length > 0 ? formatSpecIssues(result.issues).split("\n") : [];
    return { slos: result.slos, problems };
  });
}

/**
 * Loads the definitions `sst deploy` compiled (validated `SloDefinition`s as JSON) once
 * per container. The deployed functions use this one: it keeps the YAML parser and the
 * schema validator out of the bundle and the cold start, and a broken SLO file fails
 * the deploy instead of a scheduled run.
 *
 * @example
 * const loadSlos = compiledSloLoader("slo-definitions.json");
 */
export function compiledSloLoader(
  file: string,
  cwd: string = process.cwd(),
): () => Promise<LoadedSlos> {
  return onceUntilFailure(async () => {
    const { parseCompiledSloDefinitions } = await import("@slo/core/definitions");
    const full = path.resolve(cwd, file);
    return {
      slos: parseCompiledSloDefinitions(await readFile(full, "utf8"), full),
      problems: [],
    };
  });
}
