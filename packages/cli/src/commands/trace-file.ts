import { readFile } from "node:fs/promises";
import path from "node:path";
import { type LoadTrace, parseLoadTrace } from "@slo/core/forecast";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";

/** Reads and parses a load-trace CSV named on the command line (relative to the CLI's cwd). */
export async function readTrace(
  file: string,
  io: CliIo,
  duplicates: string | undefined,
): Promise<LoadTrace> {
  if (duplicates !== undefined && duplicates !== "error" && duplicates !== "first") {
    throw new UsageError(`--duplicates must be "error" or "first", not "${duplicates}"`);
  }
  const full = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(full, "utf8");
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; give the path of a "timestamp,value" CSV`,
    );
  }
  return parseLoadTrace(text, file, {
    duplicates: (duplicates as "error" | "first" | undefined) ?? "error",
  });
}
