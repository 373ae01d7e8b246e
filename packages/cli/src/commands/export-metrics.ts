import { open, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  EMBEDDED_DEFAULT_SEED,
  EMBEDDED_FLEET_DAYS,
  EMBEDDED_FLEET_END_MS,
  EmbeddedMetricsSource,
} from "@slo/core/embedded";
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
  --format F       csv or json (default: from the file extension, else csv)
  --slos DIR       the fleet's OpenSLO definitions, which name the metrics (default slos)
`;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The single metrics the SLOs read, with expressions expanded into their inputs. */
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

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      days: { type: "string" },
      seed: { type: "string" },
      end: { type: "string" },
      format: { type: "string" },
      slos: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  });
  if (values.help) return { help: true as const };
  if (!values.out) throw new UsageError("--out FILE is required: e.g. --out fleet-metrics.csv");
  const days = values.days === undefined ? EMBEDDED_FLEET_DAYS : Number(values.days);
  if (!(days > 0) || !Number.isInteger(days * 1440)) {
    throw new UsageError(
      `--days "${values.days}" is not a positive number of days: write e.g. --days 35`,
    );
  }
  const seed = values.seed === undefined ? EMBEDDED_DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(seed))
    throw new UsageError(`--seed "${values.seed}" is not an integer: write e.g. --seed 42`);
  const endMs = values.end === undefined ? EMBEDDED_FLEET_END_MS : Date.parse(values.end);
  if (!Number.isFinite(endMs) || endMs % MINUTE_MS !== 0) {
    throw new UsageError(
      `--end "${values.end}" is not a whole-minute ISO time: write e.g. --end 2026-10-31T12:00:00Z`,
    );
  }
  const format = values.format ?? (values.out.toLowerCase().endsWith(".json") ? "json" : "csv");
  if (format !== "csv" && format !== "json") {
    throw new UsageError(`--format "${format}" is not known: write --format csv or --format json`);
  }
  return { help: false as const, out: values.out, days, seed, endMs, format, slos: values.slos };
}

/** Writes chunks to a temporary file next to `target`, then renames it into place. */
async function writeAtomically(target: string, chunks: Iterable<string>): Promise<number> {
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(tmp, "w");
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
    throw error;
  }
}

/** `slo export-metrics`: the embedded fleet as a metrics file. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const opts = parseOptions(argv);
  if (opts.help) {
    io.stdout(HELP);
    return 0;
  }
  // Generate at least the default span so the exported minutes are the very minutes the
  // embedded report reads (the generator's random stream starts at the fleet's start).
  const source = new EmbeddedMetricsSource({
    seed: opts.seed,
    endMs: opts.endMs,
    days: Math.max(opts.days, EMBEDDED_FLEET_DAYS),
  });
  const range = { startMs: opts.endMs - opts.days * DAY_MS, endMs: opts.endMs, stepMs: MINUTE_MS };
  // The committed fleet SLOs (one source of truth) say which metrics to export.
  const metrics = readMetrics(await loadDefinitions(opts.slos ? [opts.slos] : [], io.cwd));
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
    opts.format === "json" ? metricsJsonChunks(series, MINUTE_MS) : metricsCsvChunks(series);
  const bytes = await writeAtomically(target, chunks);
  const points = series.reduce((n, s) => n + s.values.filter((v) => !Number.isNaN(v)).length, 0);
  io.stdout(
    `wrote ${series.length} series, ${points} datapoints (${opts.days} days to ${new Date(opts.endMs).toISOString()}, seed ${opts.seed}, ${opts.format}, ${(bytes / 1e6).toFixed(1)} MB) to ${target}\n`,
  );
  return 0;
}
