/**
 * Exported metrics files (CSV or JSON, see FORMAT.md): pure parsing and writing, no I/O.
 * `file-source.ts` reads files from disk and answers queries from the parsed form.
 */
import { SloPlatformError } from "../errors.ts";
import { checkSpanSteps, DEFAULT_MAX_STEPS } from "../limits.ts";
import { parseInstant, TimeFormatError } from "../time/instant.ts";
import { canonicalStat, StatError } from "./stat.ts";

/** Thrown for a metrics file that cannot be read; names the file, line or field, and the fix. */
export class MetricsFileError extends SloPlatformError {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, problem: string, options?: ErrorOptions) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${problem}`, "input", options);
    this.name = "MetricsFileError";
    this.file = file;
    this.line = line;
  }
}

/** One series of a metrics file; timestamps strictly increasing, epoch ms (step start). */
export interface FileSeries {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Canonical statistic (`canonicalStat`). */
  readonly stat: string;
  readonly timesMs: Float64Array;
  readonly values: Float64Array;
}

export interface MetricsFile {
  readonly file: string;
  /** Period of one datapoint. */
  readonly stepMs: number;
  readonly series: readonly FileSeries[];
}

/** Series identity: namespace, metric, sorted dimensions and canonical stat. */
export function seriesKey(s: {
  namespace: string;
  metricName: string;
  dimensions: Readonly<Record<string, string>>;
  stat: string;
}): string {
  const dims = Object.keys(s.dimensions)
    .sort()
    .map((k) => `${k}=${s.dimensions[k]}`)
    .join(";");
  return `${s.namespace}|${s.metricName}|${dims}|${s.stat}`;
}

export const CSV_HEADER = "timestamp,namespace,metric,dimensions,stat,value";

/** How a metrics file is read. */
export interface ParseMetricsOptions {
  /**
   * Gaps between datapoints that are not whole multiples of the inferred step are
   * refused (naming the first such line) unless this is true; then the step is the
   * greatest common divisor of every gap, as the reader once did silently.
   */
  readonly resample?: boolean;
  /** Cap on the file's span in steps (default {@link DEFAULT_MAX_STEPS}). */
  readonly maxSteps?: number;
}

/**
 * Epoch ms from ISO-8601 with a zone (calendar-checked) or epoch seconds; a string
 * saying what is wrong otherwise.
 */
function parseTimestamp(raw: string | number): number | string | undefined {
  if (typeof raw === "number") {
    return Number.isFinite(raw) && raw >= 0 ? Math.round(raw * 1000) : undefined;
  }
  const t = raw.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(t)) return undefined;
  try {
    return parseInstant(t);
  } catch (error) {
    if (error instanceof TimeFormatError) return error.message;
    throw error;
  }
}

/** Why a timestamp was refused, with the fix. */
function timestampProblem(shown: string, problem: string | undefined): string {
  return problem === undefined
    ? `timestamp ${shown} is not a time: ${TIMESTAMP_FIX}`
    : `timestamp ${problem}; ${TIMESTAMP_FIX}`;
}

/** Statistics that count events: a negative value cannot be real data. */
function isCountStat(stat: string): boolean {
  return stat === "Sum" || stat === "SampleCount" || stat.startsWith("TC(");
}

const TIMESTAMP_FIX =
  "write ISO-8601 with a zone (2026-10-31T12:00:00Z) or epoch seconds (1793448000)";

function parseDimensions(raw: string): Record<string, string> | string {
  const dims: Record<string, string> = {};
  const t = raw.trim();
  if (t === "") return dims;
  for (const part of t.split(";")) {
    const eq = part.indexOf("=");
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq <= 0 || value === "") {
      return `dimensions "${raw}" are not Name=value pairs: write e.g. Service=user-service;Zone=a`;
    }
    if (name in dims) return `dimension ${name} appears twice in "${raw}"`;
    dims[name] = value;
  }
  return dims;
}

interface Builder {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly stat: string;
  readonly times: number[];
  readonly values: number[];
  /** Where each datapoint came from (CSV line, or JSON index), for errors. */
  readonly where: number[];
  /** JSON path of the series (`series[3]`); undefined for CSV. */
  readonly jsonPath?: string;
  lastLine: number;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y > 0) [x, y] = [y, x % y];
  return x;
}

/** The most common gap (the smaller on a tie): robust to missing datapoints. */
function whereOf(file: string, b: Builder, i: number): string {
  return b.jsonPath === undefined
    ? `${file}:${b.where[i]}`
    : `${file} ${b.jsonPath}.timestamps[${b.where[i]}]`;
}

/**
 * A period CloudWatch writes: a multiple of 60 s, or a high-resolution 1, 5, 10 or
 * 30 s period that is also the usual gap (dense high-resolution data). A 30 s divisor
 * of 60 s data is a half-minute row out of place, not high-resolution data.
 */
function isCloudWatchPeriod(ms: number, mode: number): boolean {
  if (ms % 60_000 === 0) return true;
  return (ms === 1000 || ms === 5000 || ms === 10_000 || ms === 30_000) && ms === mode;
}

function modeGap(builders: readonly Builder[]): number {
  const counts = new Map<number, number>();
  for (const b of builders)
    for (let i = 1; i < b.times.length; i++) {
      const d = (b.times[i] as number) - (b.times[i - 1] as number);
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
  let best = 0;
  let bestCount = 0;
  for (const [d, c] of counts)
    if (c > bestCount || (c === bestCount && d < best)) [best, bestCount] = [d, c];
  return best;
}

function finish(
  file: string,
  all: Iterable<Builder>,
  declaredStepMs: number | undefined,
  options: ParseMetricsOptions,
): MetricsFile {
  const builders = [...all];
  let points = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const b of builders) {
    points += b.times.length;
    if (b.times.length === 0) continue;
    first = Math.min(first, b.times[0] as number);
    last = Math.max(last, b.times[b.times.length - 1] as number);
  }
  if (points === 0) {
    throw new MetricsFileError(
      file,
      undefined,
      `no datapoints: the file has ${builders.length} series but not one value; export data (slo export-metrics) or check the filter that wrote it`,
    );
  }
  let divisor = 0;
  for (const b of builders)
    for (let i = 1; i < b.times.length; i++)
      divisor = gcd(divisor, (b.times[i] as number) - (b.times[i - 1] as number));
  // A file is regular when every gap is a whole number of one period: the declared one,
  // else the gaps' common divisor when it is a period CloudWatch could have written
  // (sparse series leave out empty periods, so the divisor can be finer than any gap),
  // else the most common gap. Jittered times (60.5 s) have a tiny divisor and no
  // common period: that is named, never silently resampled to the divisor.
  const mode = modeGap(builders);
  let step =
    declaredStepMs ?? (divisor === 0 ? 60_000 : isCloudWatchPeriod(divisor, mode) ? divisor : mode);
  let offending: { b: Builder; i: number; gap: number } | undefined;
  for (const b of builders) {
    for (let i = 1; i < b.times.length && offending === undefined; i++) {
      const gap = (b.times[i] as number) - (b.times[i - 1] as number);
      if (gap % step !== 0) offending = { b, i, gap };
    }
  }
  if (offending !== undefined) {
    if (!options.resample) {
      throw new MetricsFileError(
        file,
        undefined,
        `irregular step at ${whereOf(file, offending.b, offending.i)}: ${offending.gap / 1000} s since the previous datapoint of its series, not a multiple of the ${step / 1000} s step ${declaredStepMs === undefined ? "inferred from the file" : "declared (stepSeconds)"}; fix the timestamps, or pass --resample to read the file on a ${divisor / 1000} s grid`,
      );
    }
    if (declaredStepMs === undefined) step = divisor;
  }
  checkSpanSteps(file, first, last + step, step, options.maxSteps ?? DEFAULT_MAX_STEPS);
  const series: FileSeries[] = builders.map((b) => ({
    namespace: b.namespace,
    metricName: b.metricName,
    dimensions: b.dimensions,
    stat: b.stat,
    timesMs: Float64Array.from(b.times),
    values: Float64Array.from(b.values),
  }));
  return { file, stepMs: step, series };
}

/**
 * Parses a metrics CSV (`timestamp,namespace,metric,dimensions,stat,value`, one datapoint
 * per row, rows of a series in time order). `#` lines and blank lines are skipped.
 *
 * @example
 * parseMetricsCsv("timestamp,namespace,metric,dimensions,stat,value\n" +
 *   "2026-10-31T11:59:00Z,AWS/ApplicationELB,RequestCount,Service=user-service,Sum,1520\n", "m.csv");
 */
export function parseMetricsCsv(
  text: string,
  file: string,
  options: ParseMetricsOptions = {},
): MetricsFile {
  const byRaw = new Map<string, Builder>();
  const byKey = new Map<string, Builder>();
  let line = 0;
  let pos = 0;
  let sawHeader = false;
  const fail = (problem: string): never => {
    throw new MetricsFileError(file, line, problem);
  };
  while (pos < text.length) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    let row = text.slice(pos, end);
    pos = end + 1;
    line++;
    if (row.endsWith("\r")) row = row.slice(0, -1);
    if (row.trim() === "" || row.startsWith("#")) continue;
    if (!sawHeader) {
      const header = row
        .replace(/^\uFEFF/, "")
        .replace(/\s+/g, "")
        .toLowerCase();
      if (header !== CSV_HEADER) {
        fail(`expected the header "${CSV_HEADER}" as the first row, found "${row}"`);
      }
      sawHeader = true;
      continue;
    }
    const c1 = row.indexOf(",");
    const c5 = row.lastIndexOf(",");
    const fields = row.split(",");
    if (fields.length !== 6) {
      fail(
        `row has ${fields.length} fields, expected 6 (${CSV_HEADER}); fields cannot contain commas: separate dimensions with ";"`,
      );
    }
    const t = parseTimestamp(row.slice(0, c1));
    if (typeof t !== "number") fail(timestampProblem(`"${fields[0]}"`, t));
    const rawValue = row.slice(c5 + 1).trim();
    const value = rawValue === "" ? Number.NaN : Number(rawValue);
    if (!Number.isFinite(value)) {
      fail(
        `value "${rawValue}" is not a number: write a plain number, and leave out rows without data`,
      );
    }
    const raw = row.slice(c1 + 1, c5);
    let b = byRaw.get(raw);
    if (b === undefined) {
      const [, namespace, metricName, dimText, statText] = fields as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      if (namespace.trim() === "" || metricName.trim() === "") {
        fail("namespace and metric must not be empty: write e.g. AWS/ApplicationELB,RequestCount");
      }
      const dims = parseDimensions(dimText);
      if (typeof dims === "string") fail(dims);
      let stat = "";
      try {
        stat = canonicalStat(statText);
      } catch (error) {
        if (error instanceof StatError) fail(error.message);
        throw error;
      }
      const fresh: Builder = {
        namespace: namespace.trim(),
        metricName: metricName.trim(),
        dimensions: dims as Record<string, string>,
        stat,
        times: [],
        values: [],
        where: [],
        lastLine: 0,
      };
      const key = seriesKey(fresh);
      b = byKey.get(key) ?? fresh;
      byKey.set(key, b);
      byRaw.set(raw, b);
    }
    const prev = b.times[b.times.length - 1];
    if (prev !== undefined && (t as number) <= prev) {
      fail(
        `${(t as number) === prev ? "duplicate" : "out-of-order"} timestamp ${fields[0]} for ${b.metricName} ${b.stat} (previous row of this series: line ${b.lastLine}): sort rows by time and keep one row per time and series`,
      );
    }
    if (value < 0 && isCountStat(b.stat)) {
      fail(
        `value ${rawValue} is negative, but ${b.metricName} ${b.stat} counts events: a count cannot be below 0; fix the export`,
      );
    }
    b.times.push(t as number);
    b.values.push(value);
    b.where.push(line);
    b.lastLine = line;
  }
  if (!sawHeader) {
    throw new MetricsFileError(
      file,
      1,
      `the file is empty: start it with the header "${CSV_HEADER}"`,
    );
  }
  return finish(file, byKey.values(), undefined, options);
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Parses a metrics JSON file: `{ "stepSeconds": 60, "series": [{ "namespace", "metricName",
 * "dimensions", "stat", "timestamps", "values" }] }` (GetMetricData-like; `null` values
 * are no data).
 *
 * @example
 * parseMetricsJson('{"stepSeconds":60,"series":[]}', "m.json").stepMs; // 60000
 */
export function parseMetricsJson(
  text: string,
  file: string,
  options: ParseMetricsOptions = {},
): MetricsFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    // V8 reports either "position N" or "(line L column C)", or neither for some errors.
    const msg = String((error as Error).message);
    const pos = /position (\d+)/.exec(msg);
    const ln = /line (\d+) column/.exec(msg);
    const line = pos ? lineOfOffset(text, Number(pos[1])) : ln ? Number(ln[1]) : undefined;
    throw new MetricsFileError(file, line, `not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const fail = (path: string, problem: string): never => {
    throw new MetricsFileError(file, undefined, `${path}: ${problem}`);
  };
  if (!isRecord(doc))
    return fail("(top level)", 'expected an object { "stepSeconds": 60, "series": [...] }');
  const stepSeconds = doc.stepSeconds;
  if (
    stepSeconds !== undefined &&
    !(typeof stepSeconds === "number" && Number.isFinite(stepSeconds) && stepSeconds >= 0.001)
  ) {
    fail(
      "stepSeconds",
      `${JSON.stringify(stepSeconds)} is not a positive number of seconds: write e.g. 60`,
    );
  }
  if (!Array.isArray(doc.series)) fail("series", 'missing or not an array: add "series": [...]');
  const builders = new Map<string, Builder>();
  (doc.series as unknown[]).forEach((raw, i) => {
    const at = `series[${i}]`;
    if (!isRecord(raw))
      fail(
        at,
        "expected an object with namespace, metricName, dimensions, stat, timestamps, values",
      );
    const s = raw as Record<string, unknown>;
    for (const field of ["namespace", "metricName", "stat"] as const) {
      if (typeof s[field] !== "string" || s[field] === "")
        fail(`${at}.${field}`, "missing or not a non-empty string");
    }
    const dims = s.dimensions ?? {};
    if (!isRecord(dims) || Object.values(dims).some((v) => typeof v !== "string")) {
      fail(`${at}.dimensions`, 'expected an object of strings, e.g. { "Service": "user-service" }');
    }
    let stat = "";
    try {
      stat = canonicalStat(s.stat as string);
    } catch (error) {
      if (error instanceof StatError) fail(`${at}.stat`, error.message);
      throw error;
    }
    const ts = s.timestamps;
    const vs = s.values;
    if (!Array.isArray(ts) || !Array.isArray(vs) || ts.length !== vs.length) {
      fail(at, "timestamps and values must be arrays of the same length");
    }
    const b: Builder = {
      namespace: s.namespace as string,
      metricName: s.metricName as string,
      dimensions: dims as Record<string, string>,
      stat,
      times: [],
      values: [],
      where: [],
      jsonPath: at,
      lastLine: 0,
    };
    const key = seriesKey(b);
    if (builders.has(key)) fail(at, `duplicates an earlier series (${key}): merge them into one`);
    builders.set(key, b);
    (ts as unknown[]).forEach((rawT, j) => {
      const t =
        typeof rawT === "string" || typeof rawT === "number" ? parseTimestamp(rawT) : undefined;
      if (typeof t !== "number")
        fail(`${at}.timestamps[${j}]`, timestampProblem(JSON.stringify(rawT), t));
      const v = (vs as unknown[])[j];
      if (v === null) return;
      if (typeof v !== "number" || !Number.isFinite(v)) {
        fail(
          `${at}.values[${j}]`,
          `${JSON.stringify(v)} is not a number: write a number, or null for no data`,
        );
      }
      const prev = b.times[b.times.length - 1];
      if (prev !== undefined && (t as number) <= prev) {
        fail(
          `${at}.timestamps[${j}]`,
          `${(t as number) === prev ? "duplicate" : "out-of-order"} time ${JSON.stringify(rawT)}: sort the timestamps and keep one value per time`,
        );
      }
      if ((v as number) < 0 && isCountStat(stat)) {
        fail(
          `${at}.values[${j}]`,
          `${v} is negative, but ${b.metricName} ${stat} counts events: a count cannot be below 0; fix the export`,
        );
      }
      b.times.push(t as number);
      b.values.push(v as number);
      b.where.push(j);
    });
  });
  return finish(
    file,
    builders.values(),
    stepSeconds === undefined ? undefined : Math.round((stepSeconds as number) * 1000),
    options,
  );
}

/**
 * Parses by content: JSON when the text starts with `{`, CSV otherwise.
 *
 * @example
 * parseMetricsFile(text, "metrics.csv");
 */
export function parseMetricsFile(
  text: string,
  file: string,
  options: ParseMetricsOptions = {},
): MetricsFile {
  return /^\s*\{/.test(text.slice(0, 1024))
    ? parseMetricsJson(text, file, options)
    : parseMetricsCsv(text, file, options);
}

function formatDims(d: Readonly<Record<string, string>>): string {
  return Object.keys(d)
    .sort()
    .map((k) => `${k}=${d[k]}`)
    .join(";");
}

/**
 * CSV text in chunks (one per series), so large exports stream to disk. `NaN` values
 * (no data) are left out, as CloudWatch leaves out empty periods.
 *
 * @example
 * for (const chunk of metricsCsvChunks(series)) await handle.write(chunk);
 */
export function* metricsCsvChunks(series: readonly FileSeries[]): Generator<string> {
  yield `${CSV_HEADER}\n`;
  for (const s of series) {
    const prefix = `,${s.namespace},${s.metricName},${formatDims(s.dimensions)},${s.stat},`;
    const parts: string[] = [];
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i] as number;
      if (Number.isNaN(v)) continue;
      parts.push(`${(s.timesMs[i] as number) / 1000}${prefix}${v}\n`);
    }
    yield parts.join("");
  }
}

/**
 * JSON text in chunks (one per series), timestamps in epoch seconds, no-data values left out.
 *
 * @example
 * const text = [...metricsJsonChunks(series, 60_000)].join("");
 */
export function* metricsJsonChunks(
  series: readonly FileSeries[],
  stepMs: number,
): Generator<string> {
  yield `{"stepSeconds":${stepMs / 1000},"series":[`;
  let first = true;
  for (const s of series) {
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i] as number;
      if (Number.isNaN(v)) continue;
      ts.push((s.timesMs[i] as number) / 1000);
      vs.push(v);
    }
    // Like the CSV, a series without any datapoint is left out.
    if (ts.length === 0) continue;
    const head = JSON.stringify({
      namespace: s.namespace,
      metricName: s.metricName,
      dimensions: s.dimensions,
      stat: s.stat,
    }).slice(0, -1);
    yield `${first ? "" : ","}\n${head},"timestamps":[${ts.join(",")}],"values":[${vs.join(",")}]}`;
    first = false;
  }
  yield "\n]}\n";
}
