import type { CliIo } from "../io.ts";

/**
 * A `CliIo` that records what a command writes, for tests: `out()` and `err()` return
 * everything written so far.
 *
 * @example
 * const r = recordIo(repoRoot);
 * expect(await runCli(["validate"], r.io)).toBe(0);
 * expect(r.out()).toMatch(/ok: 40 SLOs/);
 */
export function recordIo(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    isTTY: false,
    cwd,
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}
