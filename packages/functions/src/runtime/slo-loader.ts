import path from "node:path";
import type { LoadedSlos } from "./deps.ts";

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
  let pending: Promise<LoadedSlos> | undefined;
  return () => {
    pending ??= (async () => {
      const { formatSpecIssues, loadSloFiles } = await import("@slo/core/spec");
      const result = await loadSloFiles([path.resolve(cwd, dir)]);
      const problems = result.issues.length > 0 ? formatSpecIssues(result.issues).split("\n") : [];
      return { slos: result.slos, problems };
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
