import path from "node:path";
import { formatSpecIssues, loadSloFiles } from "@slo/core/spec";
import type { LoadedSlos } from "./deps.ts";

/**
 * Loads the OpenSLO folder once per container and keeps the result: definitions are
 * bundled with the function and never change while it lives. A failed read is not
 * cached, so the next invocation tries again.
 *
 * @example
 * const loadSlos = cachedSloLoader("slos");
 * const { slos, problems } = await loadSlos();
 */
export function cachedSloLoader(dir: string, cwd: string = process.cwd()): () => Promise<LoadedSlos> {
  let pending: Promise<LoadedSlos> | undefined;
  return () => {
    pending ??= (async () => {
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
