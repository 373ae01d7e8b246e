import { relative, resolve } from "node:path";
import type { LoadResult, SpecIssue } from "@slo/core/spec";
import { formatSpecIssues, loadSloFiles } from "@slo/core/spec";
import { flagDuration, parseCommand } from "../args.ts";
import type { CliIo } from "../io.ts";

const USAGE = `Usage: slo validate [paths..] [--step 1m]

Validates OpenSLO files and directories (default: slos/). Prints every problem as
file:line: path: message (hint), then a summary. Exits 1 on any error; warnings do not fail.

Options:
  --step DURATION  evaluation step; windows and time slices must be at least this long (default 1m)
`;

/**
 * Loads definition paths relative to the CLI's working directory and reports file
 * names relative to it, so output lines are clickable from where the command ran.
 */
export async function loadForCli(
  paths: readonly string[],
  io: CliIo,
  stepMs?: number,
): Promise<LoadResult> {
  const result = await loadSloFiles(
    paths.map((p) => resolve(io.cwd, p)),
    stepMs === undefined ? {} : { stepMs },
  );
  const rel = (issue: SpecIssue): SpecIssue => ({
    ...issue,
    file: relative(io.cwd, issue.file) || ".",
  });
  return { ...result, issues: result.issues.map(rel), warnings: result.warnings.map(rel) };
}

/** Prints errors then warnings, one `file:line: ...` line each; returns the error count. */
export function printIssues(
  result: LoadResult,
  io: CliIo,
  write: (text: string) => void = io.stdout,
): number {
  if (result.issues.length > 0) write(`${formatSpecIssues(result.issues)}\n`);
  if (result.warnings.length > 0) write(`${formatSpecIssues(result.warnings, "warning")}\n`);
  return result.issues.length;
}

/** Reads `--step` as a duration, or throws a UsageError that says how to write it. */
export function readStep(value: string | undefined): number | undefined {
  return value === undefined ? undefined : flagDuration(value, "--step", 60_000);
}

/** `slo validate [paths..]`: exit 0 when valid (warnings allowed), 1 on any error. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: USAGE,
    positionals: true,
    options: { step: { type: "string" } },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  const paths = positionals.length > 0 ? positionals : ["slos"];
  const result = await loadForCli(paths, io, readStep(values.step));
  const errors = printIssues(result, io);
  const files = new Set(result.files);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  io.stdout(
    `${errors > 0 ? "invalid" : "ok"}: ${plural(result.slos.length, "SLO")} in ${plural(files.size, "file")}, ${plural(errors, "error")}, ${plural(result.warnings.length, "warning")}\n`,
  );
  return errors > 0 ? 1 : 0;
}
