import { SloPlatformError } from "../errors.ts";
import { checkSpanSteps, DEFAULT_MAX_STEPS } from "../limits.ts";
import { parseInstant, TimeFormatError } from "../time/instant.ts";

/** Thrown when a load-trace CSV cannot be read; the message names the file and line. */
export class LoadTraceError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "LoadTraceError";
  }
}

/**
 * A load series on a fixed grid: `values[i]` is the load of the step starting at
 * `startMs + i * stepMs`. Missing steps are `NaN`, never zero, so a gap in the data is
 * not mistaken for a quiet period.
 */
export interface LoadSeries {
  readonly startMs: number;
  readonly stepMs: number;
  readonly values: Float64Array;
}

/** A parsed trace: the grid plus how many steps the file did not cover. */
export interface LoadTrace extends LoadSeries {
  readonly missing: number;
  /** Rows skipped because they repeated a time (only with `duplicates: "first"`). */
  readonly droppedDuplicates: number;
}

/** Epoch ms of a trace time, or a string saying why it is not one. */
function parseTime(raw: string): number | string {
  const text = raw.trim().replace(/^"|"$/g, "");
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    // Ten digits or fewer is epoch seconds; millisecond epochs are 13 digits today.
    return n < 1e11 ? n * 1000 : n;
  }
  try {
    // NAB traces write UTC without a zone ("2014-04-10 00:00:00"): the format says so.
    return parseInstant(text, { zoneless: "utc" });
  } catch (error) {
    if (error instanceof TimeFormatError) return error.reason;
    throw error;
  }
}

/** The most common gap between consecutive times: robust to a few missing rows. */
function inferStep(times: readonly number[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const d = (times[i] as number) - (times[i - 1] as number);
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [d, c] of counts)
    if (c > bestCount || (c === bestCount && d < best)) [best, bestCount] = [d, c];
  return best;
}

/** How {@link parseLoadTrace} treats rows that repeat the previous row's time. */
export interface ParseLoadTraceOptions {
  /**
   * `"error"` (default) rejects them; `"first"` keeps the first row of each run and
   * counts the rest in `droppedDuplicates` (real exports have them: a DST change can
   * stamp a dozen rows with the same local time).
   */
  readonly duplicates?: "error" | "first";
  /**
   * Rows off the grid of the inferred step are refused (naming the first) unless this
   * is true; then they are summed into the nearest step.
   */
  readonly resample?: boolean;
  /** Cap on the trace's span in steps (default {@link DEFAULT_MAX_STEPS}). */
  readonly maxSteps?: number;
}

/**
 * Reads a `timestamp,value` CSV (the NAB format `YYYY-MM-DD HH:MM:SS` in UTC, ISO 8601
 * or epoch seconds/milliseconds) onto a fixed grid. The step is the most common gap
 * between rows; rows that are missing become `NaN`. Pure: the caller reads the file.
 *
 * @throws LoadTraceError with `file:line` for a missing header, a bad time or value,
 *   unsorted or duplicate times, or fewer than two rows.
 * @example
 * const trace = parseLoadTrace("timestamp,value\n2014-04-10 00:00:00,94\n2014-04-10 00:05:00,56\n", "elb.csv");
 * trace.stepMs; // 300_000
 */
export function parseLoadTrace(
  text: string,
  fileName: string,
  options: ParseLoadTraceOptions = {},
): LoadTrace {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "")
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase();
  const cols = header.split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
  if (
    cols.length < 2 ||
    !/time|date/.test(cols[0] ?? "") ||
    !/value|count|load|requests/.test(cols[1] ?? "")
  ) {
    throw new LoadTraceError(
      `${fileName}:1: expected the header "timestamp,value" but found "${lines[0]?.slice(0, 60) ?? ""}": add that header line as the first line`,
    );
  }
  const times: number[] = [];
  const vals: number[] = [];
  const lineNos: number[] = [];
  let droppedDuplicates = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "") continue;
    const comma = line.indexOf(",");
    if (comma < 0)
      throw new LoadTraceError(
        `${fileName}:${i + 1}: expected "timestamp,value" but found "${line.slice(0, 60)}"`,
      );
    const t = parseTime(line.slice(0, comma));
    if (typeof t === "string") {
      throw new LoadTraceError(
        `${fileName}:${i + 1}: "${line.slice(0, comma)}" is not a time (${t.split(":")[0]}): write YYYY-MM-DD HH:MM:SS (UTC), ISO 8601 or epoch seconds`,
      );
    }
    const rawValue = line
      .slice(comma + 1)
      .trim()
      .replace(/^"|"$/g, "");
    const v = rawValue === "" ? Number.NaN : Number(rawValue);
    if (rawValue !== "" && !Number.isFinite(v)) {
      throw new LoadTraceError(
        `${fileName}:${i + 1}: value "${rawValue.slice(0, 40)}" is not a number: write a plain number, or leave it empty for no data`,
      );
    }
    if (v < 0) {
      throw new LoadTraceError(
        `${fileName}:${i + 1}: value ${rawValue} is negative: load is a count of requests, 0 or more`,
      );
    }
    const prev = times[times.length - 1];
    if (prev !== undefined && t === prev) {
      if (options.duplicates === "first") {
        droppedDuplicates++;
        continue;
      }
      throw new LoadTraceError(
        `${fileName}:${i + 1}: duplicate time ${line.slice(0, comma)} (also on line ${lineNos[lineNos.length - 1]}): keep one row per time, or read it with duplicates "first" (CLI: --duplicates first) to keep the first of each`,
      );
    }
    if (prev !== undefined && t < prev) {
      throw new LoadTraceError(
        `${fileName}:${i + 1}: time ${line.slice(0, comma)} is earlier than the row before (line ${lineNos[lineNos.length - 1]}): sort the rows by time`,
      );
    }
    times.push(t);
    vals.push(v);
    lineNos.push(i + 1);
  }
  if (times.length < 2)
    throw new LoadTraceError(
      `${fileName}: needs at least two data rows under the header, found ${times.length}`,
    );
  const stepMs = inferStep(times);
  const startMs = times[0] as number;
  if (!options.resample) {
    for (let i = 0; i < times.length; i++) {
      const gap = (times[i] as number) - startMs;
      if (gap % stepMs !== 0) {
        const prevGap = (times[i] as number) - (times[i - 1] as number);
        throw new LoadTraceError(
          `${fileName}:${lineNos[i]}: irregular step: ${prevGap / 1000} s after the row before, off the ${stepMs / 1000} s grid inferred from the file (the most common gap); fix the times, or pass --resample to sum off-grid rows into the nearest step`,
        );
      }
    }
  }
  checkSpanSteps(
    fileName,
    startMs,
    (times[times.length - 1] as number) + stepMs,
    stepMs,
    options.maxSteps ?? DEFAULT_MAX_STEPS,
  );
  const n = Math.round(((times[times.length - 1] as number) - startMs) / stepMs) + 1;
  const values = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < times.length; i++) {
    const slot = Math.round(((times[i] as number) - startMs) / stepMs);
    // Off-grid rows that land on one slot are summed: the value is load per step.
    const cur = values[slot] as number;
    const v = vals[i] as number;
    values[slot] = Number.isNaN(cur) ? v : Number.isNaN(v) ? cur : cur + v;
  }
  let missing = 0;
  for (const v of values) if (Number.isNaN(v)) missing++;
  return { startMs, stepMs, values, missing, droppedDuplicates };
}
