/**
 * `pnpm bench:embedded`: how fast the embedded fleet is generated and read.
 * Prints the generation time of the ten-service, 35-day fleet (cold, in a fresh process),
 * the planned query count for the 41 fleet SLOs vs one query per SLO side, the time to
 * collect 30 days of per-minute counts for all 41 SLOs, and metrics-file parse speed.
 * The last line is one JSON object.
 */
import { EmbeddedFleet, EmbeddedMetricsSource } from "../packages/core/src/embedded/index.ts";
import {
  collectCounts,
  type FileSeries,
  metricsCsvChunks,
  parseMetricsCsv,
  planSloQueries,
} from "../packages/core/src/metrics/index.ts";
import { loadFleetSlos } from "../packages/core/testing/fleet-slos.ts";

const DAY = 86_400_000;
const t0 = performance.now();
const fleet = new EmbeddedFleet();
for (const s of fleet.services) fleet.service(s);
const generateSeconds = (performance.now() - t0) / 1000;
const serviceMinutes = fleet.services.length * fleet.minutes;
console.log(
  `generate: ${fleet.services.length} services x ${fleet.days} days = ${serviceMinutes} service-minutes in ${generateSeconds.toFixed(3)} s`,
);

const slos = await loadFleetSlos();
const plan = planSloQueries(slos, 60_000);
// Without planning every SLO reads its own good/bad and total metrics (an expression
// counts each metric it names).
const refs = (r: unknown): number =>
  r && typeof r === "object" && "kind" in r && r.kind === "expression" && "metrics" in r
    ? Object.keys(r.metrics as object).length
    : r === undefined
      ? 0
      : 1;
const naive = slos.reduce(
  (n, s) =>
    n +
    (s.indicator.type === "ratio"
      ? refs(s.indicator.good ?? s.indicator.bad) + refs(s.indicator.total)
      : 2),
  0,
);
const plannedMetrics = plan.queries.reduce((n, q) => n + refs(q.query), 0);
console.log(
  `plan: ${slos.length} SLOs -> ${plan.queries.length} unique queries reading ${plannedMetrics} metrics (vs ${naive} metric reads undeduplicated)`,
);

const source = new EmbeddedMetricsSource({ fleet });
const range = { startMs: fleet.endMs - 30 * DAY, endMs: fleet.endMs, stepMs: 60_000 };
const t1 = performance.now();
const collected = await collectCounts(slos, source, range);
const collectSeconds = (performance.now() - t1) / 1000;
console.log(
  `collect: ${collected.counts.size} SLOs x ${(range.endMs - range.startMs) / 60_000} steps in ${collectSeconds.toFixed(3)} s`,
);

const week = { ...range, startMs: fleet.endMs - 7 * DAY };
const metrics = plan.queries.flatMap((q) =>
  q.query.kind === "metric" ? [q.query] : Object.values(q.query.metrics),
);
const unique = [...new Map(metrics.map((m) => [JSON.stringify(m), m])).values()];
const fetched = await source.fetch(
  unique.map((m, i) => ({ id: `m${i}`, query: m })),
  week,
);
const times = Float64Array.from({ length: 7 * 1440 }, (_, i) => week.startMs + i * 60_000);
const series: FileSeries[] = unique.map((m, i) => ({
  ...m,
  timesMs: times,
  values: fetched[i]?.values ?? new Float64Array(),
}));
const text = [...metricsCsvChunks(series)].join("");
const t2 = performance.now();
const parsed = parseMetricsCsv(text, "bench.csv");
const parseSeconds = (performance.now() - t2) / 1000;
const rows = parsed.series.reduce((n, s) => n + s.values.length, 0);
console.log(
  `parse csv: ${rows} rows (${(text.length / 1e6).toFixed(1)} MB) in ${parseSeconds.toFixed(3)} s = ${Math.round(rows / parseSeconds)} rows/s`,
);

const mem = process.memoryUsage();
console.log(
  JSON.stringify({
    generate_seconds: Number(generateSeconds.toFixed(3)),
    service_minutes: serviceMinutes,
    slos: slos.length,
    unique_queries: plan.queries.length,
    planned_metric_reads: plannedMetrics,
    naive_metric_reads: naive,
    collect_seconds: Number(collectSeconds.toFixed(3)),
    csv_rows_per_second: Math.round(rows / parseSeconds),
    rss_mb: Math.round(mem.rss / 1e6),
  }),
);
