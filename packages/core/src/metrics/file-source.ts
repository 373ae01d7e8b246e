import { readFile, stat } from "node:fs/promises";
import { fileSystemProblem } from "../errors.ts";
import type { CloudWatchMetricStat } from "../spec/model.ts";
import { formatDuration } from "../time/duration.ts";
import { answerQueries } from "./answer.ts";
import { MetricQueryError } from "./errors.ts";
import {
  type FileSeries,
  type MetricsFile,
  MetricsFileError,
  type ParseMetricsOptions,
  parseMetricsFile,
  seriesKey,
} from "./file-format.ts";
import type { MetricQuery, MetricSeries, MetricsSource, TimeRange } from "./source.ts";
import { canonicalStat, isAdditive, parseStat } from "./stat.ts";

/**
 * Largest metrics file read into memory. Parsing holds the text plus a few numbers per
 * datapoint: the embedded fleet's default 35-day export (263 MB CSV) peaks at ~900 MB
 * RSS in `slo report`, so this cap keeps a read near 1 GB, and under V8's ~512 MiB
 * string limit, past which Node fails with a bare "Invalid string length".
 */
export const MAX_METRICS_FILE_BYTES = 320 * 2 ** 20;

function firstAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A `MetricsSource` over an exported metrics file (CSV or JSON, see FORMAT.md). Queries
 * match series on namespace, metric, dimensions and statistic; expressions are evaluated
 * over matched series. A coarser step than the file's re-aggregates Sum, SampleCount,
 * TC (add), Minimum and Maximum; other statistics only at the file's own step.
 *
 * @example
 * const source = await FileMetricsSource.fromFile("fleet-metrics.csv");
 * const series = await source.fetch(queries, { startMs: source.startMs, endMs: source.endMs, stepMs: 300_000 });
 */
export class FileMetricsSource implements MetricsSource {
  readonly name: string;
  readonly file: MetricsFile;
  /** The file's datapoint period. */
  readonly stepMs: number;
  /** First datapoint's start and last datapoint's end (exclusive), epoch ms; NaN when empty. */
  readonly startMs: number;
  readonly endMs: number;
  private readonly byKey: Map<string, FileSeries>;

  constructor(file: MetricsFile) {
    this.file = file;
    this.name = `file ${file.file}`;
    this.stepMs = file.stepMs;
    this.byKey = new Map(file.series.map((s) => [seriesKey(s), s]));
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const s of file.series) {
      if (s.timesMs.length === 0) continue;
      first = Math.min(first, s.timesMs[0] as number);
      last = Math.max(last, s.timesMs[s.timesMs.length - 1] as number);
    }
    this.startMs = Number.isFinite(first) ? first : Number.NaN;
    this.endMs = Number.isFinite(last) ? last + file.stepMs : Number.NaN;
  }

  /**
   * Reads and parses a metrics file (the only I/O here). Files over
   * {@link MAX_METRICS_FILE_BYTES} are refused before they are read.
   */
  static async fromFile(
    path: string,
    options: ParseMetricsOptions = {},
  ): Promise<FileMetricsSource> {
    let text: string;
    try {
      const info = await stat(path);
      if (info.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
      if (info.size > MAX_METRICS_FILE_BYTES) {
        throw new MetricsFileError(
          path,
          undefined,
          `the file is ${(info.size / 2 ** 20).toFixed(0)} MiB, over the ${MAX_METRICS_FILE_BYTES / 2 ** 20} MiB a metrics file may hold: export a shorter time range or fewer services`,
        );
      }
      text = await readFile(path, "utf8");
    } catch (error) {
      if (error instanceof MetricsFileError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new MetricsFileError(
        path,
        undefined,
        code === "ENOENT"
          ? "no such file: check the path, or create it with `slo export-metrics --out FILE`"
          : `cannot read the file: ${fileSystemProblem(error) ?? String(error)}`,
        { cause: error },
      );
    }
    return new FileMetricsSource(parseMetricsFile(text, path, options));
  }

  async fetch(queries: readonly MetricQuery[], range: TimeRange): Promise<MetricSeries[]> {
    return answerQueries(queries, range, (id, m, steps) => this.read(id, m, range, steps));
  }

  private read(
    queryId: string,
    metric: CloudWatchMetricStat,
    range: TimeRange,
    steps: number,
  ): Float64Array {
    const what = `${metric.namespace} ${metric.metricName} ${JSON.stringify(metric.dimensions)} ${metric.stat}`;
    const fail = (why: string): never => {
      throw new MetricQueryError(
        queryId,
        `query "${queryId}" (${what}) in ${this.file.file}: ${why}`,
      );
    };
    const stat = parseStat(metric.stat);
    const series = this.byKey.get(seriesKey({ ...metric, stat: canonicalStat(metric.stat) }));
    if (series === undefined) {
      const same = this.file.series.filter((s) => s.metricName === metric.metricName);
      const hint = same.length
        ? `the file has ${metric.metricName} with ${same
            .slice(0, 5)
            .map((s) => `${JSON.stringify(s.dimensions)} ${s.stat}`)
            .join(", ")}`
        : `the file has metrics ${[...new Set(this.file.series.map((s) => `${s.namespace} ${s.metricName}`))].slice(0, 10).join(", ")}`;
      fail(`no such series; ${hint}`);
    }
    const fileStep = this.file.stepMs;
    if (range.stepMs % fileStep !== 0) {
      fail(
        `step ${formatDuration(range.stepMs)} is not a multiple of the file's step ${formatDuration(fileStep)}`,
      );
    }
    const coarser = range.stepMs !== fileStep;
    const combine = isAdditive(stat)
      ? "add"
      : stat.kind === "Minimum"
        ? "min"
        : stat.kind === "Maximum"
          ? "max"
          : "set";
    if (coarser && combine === "set") {
      fail(
        `${metric.stat} cannot be re-aggregated from ${formatDuration(fileStep)} datapoints to ${formatDuration(range.stepMs)}: query at the file's step, or export Sum/SampleCount/TC counts`,
      );
    }
    const s = series as FileSeries;
    const out = new Float64Array(steps).fill(Number.NaN);
    for (let j = firstAtOrAfter(s.timesMs, range.startMs); j < s.timesMs.length; j++) {
      const t = s.timesMs[j] as number;
      if (t >= range.endMs) break;
      if ((t - range.startMs) % fileStep !== 0) {
        fail(
          `datapoint at ${new Date(t).toISOString()} does not line up with a range starting ${new Date(range.startMs).toISOString()} in ${formatDuration(fileStep)} steps: align the range start to the file's timestamps`,
        );
      }
      const i = Math.floor((t - range.startMs) / range.stepMs);
      const v = s.values[j] as number;
      const cur = out[i] as number;
      if (Number.isNaN(cur)) out[i] = v;
      else if (combine === "add") out[i] = cur + v;
      else if (combine === "min") out[i] = Math.min(cur, v);
      else if (combine === "max") out[i] = Math.max(cur, v);
    }
    return out;
  }
}
