/**
 * CloudWatch API usage of the SLO jobs for the ten-service fleet (41 SLOs) on a 5-minute
 * schedule: (a) naive, one GetMetricData query per metric per window per run like
 * slo-generator (SLO window + the eight alert windows), vs (b) this design: deduplicated
 * queries, per-step counts kept in a rollup, each run fetching only the last step plus a
 * 15-minute overlap, the 33-day backfill done once. Both drive the real
 * CloudWatchMetricsSource against aws-sdk-client-mock and count the commands and the
 * MetricStat entries actually sent (billed at $0.01 per 1,000 metrics requested).
 */

import {
  measureIncrementalRuns,
  measureNaiveRun,
  mockFleetAws,
} from "../packages/aws/testing/api-usage.ts";
import { FLEET_SERVICES } from "../packages/core/src/embedded/index.ts";
import { loadFleetSlos } from "../packages/core/testing/fleet-slos.ts";

const SCHEDULE_MS = 5 * 60_000;
const RUNS_PER_MONTH = (30 * 86_400_000) / SCHEDULE_MS; // 8,640
const SIMULATED_RUNS = 96; // eight hours of runs, the first one backfilling
/**
 * Both SLO jobs read the rollups every 5 minutes: the calculator at the step, the
 * burn-rate evaluator 2 minutes later (infra/jobs.ts schedules them so). Counting only
 * one job would halve this design's real cost.
 */
const JOB_OFFSETS_MS = [0, 2 * 60_000];
const USD_PER_METRIC = 0.01 / 1000;
const NOW = Date.UTC(2026, 10, 20, 0, 0);

const defs = await loadFleetSlos();
const aws = mockFleetAws(FLEET_SERVICES);

const naive = await measureNaiveRun(defs, NOW, aws);
const started = performance.now();
const { perRun, incompleteSlos } = await measureIncrementalRuns(
  defs,
  NOW,
  SIMULATED_RUNS,
  SCHEDULE_MS,
  aws,
  JOB_OFFSETS_MS,
);
const simMs = performance.now() - started;
aws.restore();

const [backfill, ...steady] = perRun;
if (!backfill || steady.length === 0) throw new Error("no runs measured");
const steadyMetrics = steady.reduce((n, r) => n + r.metrics, 0) / steady.length;
const steadyCalls = steady.reduce((n, r) => n + r.calls, 0) / steady.length;
// Month: one backfill (a new fleet; later months have none) + steady runs for the rest.
const metricsPerMonth = backfill.metrics + steadyMetrics * (RUNS_PER_MONTH - 1);
const callsPerMonth = backfill.calls + steadyCalls * (RUNS_PER_MONTH - 1);
const naiveMetricsPerMonth = naive.metrics * RUNS_PER_MONTH;
const naiveCallsPerMonth = naive.calls * RUNS_PER_MONTH;
const usd = (m: number) => `$${(m * USD_PER_METRIC).toFixed(2)}`;
const int = (n: number) => Math.round(n).toLocaleString("en-US");

console.log(
  `fleet: ${FLEET_SERVICES.length} services, ${defs.length} SLOs, a run every 5 minutes (${RUNS_PER_MONTH} runs / 30 days)`,
);
console.log(
  `simulated ${SIMULATED_RUNS} runs of this design (each: the SLO calculator, then the burn-rate evaluator on the same rollups) in ${(simMs / 1000).toFixed(1)} s; SLOs not complete in any run: ${incompleteSlos}`,
);
console.log("");
console.log(
  "                          calls/run  metrics/run   calls/month  metrics/month   cost/month",
);
console.log(
  `(a) naive, per window    ${int(naive.calls).padStart(9)}  ${int(naive.metrics).padStart(11)}  ${int(naiveCallsPerMonth).padStart(12)}  ${int(naiveMetricsPerMonth).padStart(13)}  ${usd(naiveMetricsPerMonth).padStart(11)}`,
);
console.log(
  `(b) rollup, steady run   ${steadyCalls.toFixed(0).padStart(9)}  ${steadyMetrics.toFixed(0).padStart(11)}  ${int(callsPerMonth).padStart(12)}  ${int(metricsPerMonth).padStart(13)}  ${usd(metricsPerMonth).padStart(11)}`,
);
console.log(
  `    backfill (first run): ${backfill.calls} calls, ${backfill.metrics} metrics (${usd(backfill.metrics)}), once per new SLO set`,
);
console.log(
  `    discovery per run: ${steady[0]?.discoveryCalls ?? 0} ECS/ELBv2 calls (not billed)`,
);
console.log(
  `ratio naive/this design (metrics per month): ${(naiveMetricsPerMonth / metricsPerMonth).toFixed(2)} (target >= 8)`,
);
console.log(
  JSON.stringify({
    slos: defs.length,
    runs_per_month: RUNS_PER_MONTH,
    naive_calls_per_run: naive.calls,
    naive_metrics_per_run: naive.metrics,
    naive_metrics_per_month: naiveMetricsPerMonth,
    naive_cost_usd_per_month: Number((naiveMetricsPerMonth * USD_PER_METRIC).toFixed(2)),
    calls_per_run: steadyCalls,
    metrics_per_run: steadyMetrics,
    backfill_calls: backfill.calls,
    backfill_metrics: backfill.metrics,
    metrics_per_month: metricsPerMonth,
    cost_usd_per_month: Number((metricsPerMonth * USD_PER_METRIC).toFixed(2)),
    ratio: Number((naiveMetricsPerMonth / metricsPerMonth).toFixed(2)),
  }),
);
