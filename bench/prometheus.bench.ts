/**
 * The 41 fleet SLOs evaluated through a real Prometheus (Debian's package, backfilled
 * with the embedded fleet's counters by `promtool tsdb create-blocks-from openmetrics`)
 * against the CloudWatch-file source (the same minutes as a CSV metrics file), at the
 * fleet's end, 60 s step. Prints medians of 3 runs (the file source's include reading
 * the file), the HTTP requests one Prometheus evaluation makes, the largest difference
 * between the two reports, then one JSON line.
 * Setup (export, backfill, startup) is timed apart: it is not what a report costs.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrometheusMetricsSource } from "../packages/aws/src/prometheus/source.ts";
import { prometheusMissing, startPrometheus } from "../packages/aws/src/prometheus/testing.ts";
import {
  EMBEDDED_FLEET_END_MS,
  EmbeddedMetricsSource,
} from "../packages/core/src/embedded/index.ts";
import { openMetricsChunks } from "../packages/core/src/export/index.ts";
import {
  canonicalStat,
  FileMetricsSource,
  type FileSeries,
  type MetricQuery,
  type MetricsSource,
  metricsCsvChunks,
  planSloQueries,
} from "../packages/core/src/metrics/index.ts";
import { computeSloReports, requiredLookbackMs } from "../packages/core/src/pipeline/index.ts";
import type { CloudWatchMetricStat } from "../packages/core/src/spec/index.ts";
import { loadFleetSlos } from "../packages/core/testing/fleet-slos.ts";

const STEP = 60_000;
const RUNS = 3;
const missing = prometheusMissing();
if (missing) {
  console.log(`bench:prometheus skipped: ${missing}`);
  console.log(JSON.stringify({ bench: "prometheus", skipped: missing }));
  process.exit(0);
}

const slos = await loadFleetSlos();
const metrics = new Map<string, CloudWatchMetricStat>();
for (const { query } of planSloQueries(slos, STEP).queries) {
  for (const m of query.kind === "metric" ? [query] : Object.values(query.metrics)) {
    metrics.set(
      JSON.stringify([m.namespace, m.metricName, m.dimensions, canonicalStat(m.stat)]),
      m,
    );
  }
}
const list = [...metrics.values()];
const range = {
  startMs: EMBEDDED_FLEET_END_MS - requiredLookbackMs(slos),
  endMs: EMBEDDED_FLEET_END_MS,
  stepMs: STEP,
};
const embedded = new EmbeddedMetricsSource({ seed: 1 });
const queries: MetricQuery[] = list.map((m, i) => ({ id: `m${i}`, query: m }));
const fetched = new Map((await embedded.fetch(queries, range)).map((s) => [s.id, s.values]));
const steps = (range.endMs - range.startMs) / STEP;
const timesMs = Float64Array.from({ length: steps }, (_, i) => range.startMs + i * STEP);
const series: FileSeries[] = list.map((m, i) => ({
  ...m,
  stat: canonicalStat(m.stat),
  timesMs,
  values: fetched.get(`m${i}`) ?? new Float64Array(steps).fill(Number.NaN),
}));

const dir = await mkdtemp(path.join(tmpdir(), "slo-bench-prom-"));
const csv = path.join(dir, "fleet.csv");
await writeFile(csv, metricsCsvChunks(series));
let t = performance.now();
const prom = await startPrometheus(openMetricsChunks(series, STEP));
const setupS = (performance.now() - t) / 1000;
console.log(
  `setup: ${series.length} counters, ${steps} steps, backfill + start ${setupS.toFixed(1)} s`,
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
async function timed(make: () => Promise<MetricsSource>) {
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof computeSloReports>> | undefined;
  let source: MetricsSource | undefined;
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    source = await make();
    last = await computeSloReports({ slos, source, nowMs: EMBEDDED_FLEET_END_MS, stepMs: STEP });
    times.push(performance.now() - t);
  }
  return { ms: median(times), result: last, source };
}

try {
  const viaFile = await timed(() => FileMetricsSource.fromFile(csv));
  const viaProm = await timed(async () => new PrometheusMetricsSource({ url: prom.url }));
  const requests = (viaProm.source as PrometheusMetricsSource).requests;
  let maxDiff = 0;
  const walk = (a: unknown, b: unknown): void => {
    if (typeof a === "number" && typeof b === "number") {
      // Relative above 1: times to exhaustion are ~1e10 ms and carry float noise there.
      if (!(Number.isNaN(a) && Number.isNaN(b))) {
        maxDiff = Math.max(maxDiff, Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b)));
      }
    } else if (a && b && typeof a === "object" && typeof b === "object") {
      for (const k of Object.keys(a)) walk((a as never)[k], (b as never)[k]);
    }
  };
  walk(viaProm.result?.reports, viaFile.result?.reports);
  const reports = viaProm.result?.reports.length ?? 0;
  console.log(`CloudWatch-file source: ${viaFile.ms.toFixed(0)} ms median for ${reports} SLOs`);
  console.log(
    `Prometheus source:      ${viaProm.ms.toFixed(0)} ms median, ${requests} HTTP requests (${series.length} counters, <= 11,000 points each)`,
  );
  console.log(`largest difference between the two reports (relative above 1): ${maxDiff}`);
  console.log(
    JSON.stringify({
      bench: "prometheus",
      slos: reports,
      runs: RUNS,
      file_ms_median: Math.round(viaFile.ms),
      prometheus_ms_median: Math.round(viaProm.ms),
      prometheus_http_requests: requests,
      counters: series.length,
      steps,
      setup_s: Number(setupS.toFixed(1)),
      max_difference: maxDiff,
    }),
  );
} finally {
  await prom.stop();
  await rm(dir, { recursive: true, force: true });
}
