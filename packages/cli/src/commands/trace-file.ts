import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { FileAccessError } from "@slo/core/errors";
import { type LoadTrace, LoadTraceError, parseLoadTrace } from "@slo/core/forecast";
import { flagChoice, flagMaxSteps } from "../args.ts";
import type { CliIo } from "../io.ts";

/**
 * Largest trace read into memory: a `timestamp,value` row is ~25 bytes, so this is
 * millions of rows, and stays far below V8's ~512 MiB string limit (past which Node
 * fails with a bare "Invalid string length").
 */
export const MAX_TRACE_FILE_BYTES = 128 * 2 ** 20;

/** The trace flags every trace command shares. */
export const TRACE_OPTIONS = {
  duplicates: { type: "string" },
  resample: { type: "boolean" },
  "max-steps": { type: "string" },
} as const;

/** Help lines of {@link TRACE_OPTIONS}. */
export const TRACE_HELP = `  --duplicates  "first" keeps the first of rows that repeat a time (default: error)
  --resample    sum rows off the trace's step grid into the nearest step (default: refuse them)
  --max-steps N refuse traces or horizons of more than N steps (default 50,000,000)
`;

/** Reads and parses a load-trace CSV named on the command line (relative to the CLI's cwd). */
export async function readTrace(
  file: string,
  io: CliIo,
  values: { duplicates?: string; resample?: boolean; "max-steps"?: string },
): Promise<LoadTrace> {
  const duplicates = flagChoice(values.duplicates, "--duplicates", ["error", "first"], "error");
  const maxSteps = flagMaxSteps(values["max-steps"]);
  const full = path.resolve(io.cwd, file);
  let text: string;
  try {
    const info = await stat(full);
    if (info.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    if (info.size > MAX_TRACE_FILE_BYTES) {
      throw new LoadTraceError(
        `${file}: the file is ${(info.size / 2 ** 20).toFixed(0)} MiB, over the ${MAX_TRACE_FILE_BYTES / 2 ** 20} MiB a trace may hold: cut it to the period you need`,
      );
    }
    text = await readFile(full, "utf8");
  } catch (error) {
    if (error instanceof LoadTraceError) throw error;
    throw new FileAccessError(file, error, 'give the path of a "timestamp,value" CSV');
  }
  return parseLoadTrace(text, file, {
    duplicates,
    resample: values.resample ?? false,
    maxSteps,
  });
}
