import { open, rename, unlink } from "node:fs/promises";
import path from "node:path";
import {
  EMBEDDED_DEFAULT_SEED,
  EMBEDDED_FLEET_DAYS,
  EMBEDDED_FLEET_END_MS,
  EmbeddedMetricsSource,
} from "@slo/core/embedded";
import { FileAccessError, fileSystemProblem } from "@slo/core/errors";
import { openMetricsChunks } from "@slo/core/export";
import { checkSteps } from "@slo/core/limits";
import {
  canonicalStat,
  type FileSeries,
  type MetricQuery,
  metricsCsvChunks,
  metricsJsonChunks,
  planSloQueries,
  seriesKey,
} from "@slo/core/metrics";
import type { CloudWatchMetricStat, SloDefinition } from "@slo/core/spec";
import { flagChoice, flagMaxSteps, flagNumber, flagTime, parseCommand } from "../args.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { loadDefinitions } from "../sources.ts";

const HELP = `Usage: slo export-metrics --out FILE [options]

Writes the embedded demo fleet's metrics that the fleet SLOs read (RequestCount,
HTTPCode_Target_5XX_Count, TargetConnectionErrorCount, TargetResponseTime SampleCount,
TC(:0.25) and TC(:0.5)) at 1-minute steps, so "slo report --source FILE" reproduces the
embedded report. Format: packages/core/src/metrics/FORMAT.md.

Options:
  --out FILE       where to write (replaced atomically)
  --days N         days of history ending at the fleet's end (default ${EMBEDDED_FLEET_DAYS})
  --seed N         seed of the embedded fleet (default ${EMBEDDED_DEFAULT_SEED})
  --end ISO        end instant, a whole minute (default ${new Date(EMBEDDED_FLEET_END_MS).toISOString()})
  --format F       csv, json or openmetrics (Prometheus counters for "promtool tsdb
                   create-blocks-from openmetrics"; default: from the file extension, else csv)
  --slos DIR       the fleet's OpenSLO definitions, which name the metrics (default slos)
  --max-steps N    refuse exports of more than N values in memory (series x minutes; default 50,000,000)
`;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The single metrics the fleet SLOs read, with expressions expanded into their inputs. */
function readMetrics(slos: readonly SloDefinition[]): CloudWatchMetricStat[] {
  const seen = new Map<string, CloudWatchMetricStat>();
  for (const { query } of planSloQueries(slos, MINUTE_MS).queries) {
    const metrics = query.kind === "metric" ? [query] : Object.values(query.metrics);
    for (const m of metrics) {
      const key = seriesKey({ ...m, stat: canonicalStat(m.stat) });
      if (!seen.has(key)) seen.set(key, m);
    }
  }
  return [...seen.values()];
}

function formatFromExtension(out: string): "csv" | "json" | "openmetrics" {
  const lower = out.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  return lower.endsWith(".om") || lower.endsWith(".openmetrics") ? "openmetrics" : "csv";
}

function parseOptions(argv: string[], io: CliIo) {
  const args = parseCommand(argv, io, {
    help: HELP,
    options: {
      out: { type: "string" },
      days: { type: "string" },
      seed: { type: "string" },
      end: { type: "string" },
      format: { type: "string" },
      slos: { type: "string" },
      "max-steps": { type: "string" },
    },
  });
  if (!args) return { help: true as const };
  const { values } = args;
  if (!values.out) throw new UsageError("--out FILE is required: e.g. --out fleet-metrics.csv");
  const days = flagNumber(values.days, "--days", EMBEDDED_FLEET_DAYS, {
    min: 0,
    exclusiveMin: true,
    expect: "a positive number of days (e.g. 35)",
  });
  if (!Number.isInteger(days * 1440)) {
    throw new UsageError(
      `--days "${values.days}" is not a whole number of minutes: write e.g. --days 35`,
    );
  }
  const seed = flagNumber(values.seed, "--seed", EMBEDDED_DEFAULT_SEED, {
    integer: true,
    expect: "an integer (e.g. 42)",
  });
  const endMs = flagTime(values.end, "--end") ?? EMBEDDED_FLEET_END_MS;
  if (endMs % MINUTE_MS !== 0) {
    throw new UsageError(
      `--end "${values.end}" is not a whole minute: write e.g. --end 2026-10-31T12:00:00Z`,
    );
  }
  const format = flagChoice(
    values.format,
    "--format",
    ["csv", "json", "openmetrics"],
    formatFromExtension(values.out),
  );
  const maxSteps = flagMaxSteps(values["max-steps"]);
  return {
    help: false as const,
    out: values.out,
    days,
    seed,
    endMs,
    format,
    maxSteps,
    slos: values.slos,
  };
}

/** Writes chunks to a temporary file next to `target`, then renames it into place. */
async function writeAtomically(target: string, chunks: Iterable<string>): Promise<number> {
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(tmp, "w");
  } catch (error) {
    if (fileSystemProblem(error) === undefined) throw error;
    throw new FileAccessError(target, error, "choose another --out path");
  }
  let bytes = 0;
  try {
    for (const chunk of chunks) {
      bytes += Buffer.byteLength(chunk);
      await handle.write(chunk);
    }
    await handle.close();
    await rename(tmp, target);
    return bytes;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    if (fileSystemProblem(error) === undefined) throw error;
    throw new FileAccessError(target, error, "choose another --out path");
  }
}

/** `slo export-metrics`: the embedded fleet as a metrics file. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(argv, io);
  if (opts.help) return 0;
  // The committed fleet SLOs (one source of truth) say which metrics to export.
  const metrics = readMetrics(await loadDefinitions(opts.slos ? [opts.slos] : [], io.cwd));
  // The generator holds every series densely over at least the default span: refuse
  // before committing that memory, not after.
  checkSteps(
    `--days ${opts.days} (${metrics.length} series x ${Math.max(opts.days, EMBEDDED_FLEET_DAYS) * 1440} minutes)`,
    metrics.length * Math.max(opts.days, EMBEDDED_FLEET_DAYS) * 1440,
    opts.maxSteps,
  );
  // Generate at least the default span so the exported minutes are the very minutes the
  // embedded report reads (the generator's random stream starts at the fleet's start).
  const source = new EmbeddedMetricsSource({
    seed: opts.seed,
    endMs: opts.endMs,
    days: Math.max(opts.days, EMBEDDED_FLEET_DAYS),
  });
  const range = { startMs: opts.endMs - opts.days * DAY_MS, endMs: opts.endMs, stepMs: MINUTE_MS };
  const queries: MetricQuery[] = metrics.map((m, i) => ({ id: `m${i}`, query: m }));
  const fetched = new Map((await source.fetch(queries, range)).map((s) => [s.id, s.values]));
  const steps = (range.endMs - range.startMs) / MINUTE_MS;
  const timesMs = Float64Array.from({ length: steps }, (_, i) => range.startMs + i * MINUTE_MS);
  const series: FileSeries[] = metrics.map((m, i) => ({
    namespace: m.namespace,
    metricName: m.metricName,
    dimensions: m.dimensions,
    stat: canonicalStat(m.stat),
    timesMs,
    values: fetched.get(`m${i}`) ?? new Float64Array(steps).fill(Number.NaN),
  }));
  const target = path.resolve(io.cwd, opts.out);
  const chunks =
    opts.format === "json"
      ? metricsJsonChunks(series, MINUTE_MS)
      : opts.format === "openmetrics"
        ? openMetricsChunks(series, MINUTE_MS)
        : metricsCsvChunks(series);
  const bytes = await writeAtomically(target, chunks);
  const points = series.reduce((n, s) => n + s.values.filter((v) => !Number.isNaN(v)).length, 0);
  io.stdout(
    `wrote ${series.length} series, ${points} datapoints (${opts.days} days to ${new Date(opts.endMs).toISOString()}, seed ${opts.seed}, ${opts.format}, ${(bytes / 1e6).toFixed(1)} MB) to ${target}\n`,
  );
  return 0;
}
