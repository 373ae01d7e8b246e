/**
 * The deployed scaling measured on real traffic: each NAB load trace, sized so its peak
 * needs 20 tasks at 70 % target utilisation, replayed through static peak provisioning,
 * target tracking alone, target tracking + AWS predictive on observed load, and the
 * deployed combination (those plus target tracking on our 15-minute forecast). Prints a
 * row per trace, the median (with quartiles) over all traces, and a last JSON line.
 * `SLO_DATASETS_DIR` points at the datasets folder when it is not next to the repository.
 */

import { toEmfLines } from "../packages/aws/src/sinks/emf.ts";
import { ecsCapacityPoints } from "../packages/aws/src/sinks/points.ts";
import {
  FORECAST_FEED,
  forecastTrackingPolicy,
  predictedLoadSeries,
} from "../packages/core/src/capacity/index.ts";
import { customMetricsCost, PRICES } from "../packages/core/src/cost/index.ts";
import type { PolicyName, PolicyResult } from "../packages/core/src/simulate/index.ts";
import { simulateScaling } from "../packages/core/src/simulate/index.ts";
import { capacityMetrics } from "../packages/functions/src/runtime/capacity-metrics.ts";
import { FLEET } from "../stacks/fleet.ts";
import { LOAD_SERIES, loadNab } from "./nab.ts";

const PEAK_TASKS = 20;
const TARGET = 0.7;

interface Row {
  readonly trace: string;
  readonly ramps: number;
  readonly ttc: Record<PolicyName, number>;
  readonly taskHours: Record<PolicyName, number>;
  readonly under: Record<PolicyName, number>;
  readonly fasterPct: number;
  readonly vsTargetTrackingPct: number;
  readonly vsStaticPct: number;
  readonly seconds: number;
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

const f1 = (v: number): string => v.toFixed(1);
const sign = (v: number): string => `${v >= 0 ? "+" : ""}${v.toFixed(1)}`;
const by = <T>(policies: readonly PolicyResult[], pick: (p: PolicyResult) => T) =>
  Object.fromEntries(policies.map((p) => [p.policy, pick(p)])) as Record<PolicyName, T>;

const COLUMNS: readonly [string, number][] = [
  ["trace", 32],
  ["ramps", 5],
  ["ttc tt", 7],
  ["ttc st", 7],
  ["ttc awsp", 8],
  ["ttc dep", 7],
  ["faster%", 8],
  ["th static", 10],
  ["th tt", 8],
  ["th dep", 8],
  ["dth/tt%", 8],
  ["dth/st%", 8],
  ["under tt", 9],
  ["under awsp", 10],
  ["under dep", 9],
];
const line = (cells: readonly string[]): string =>
  cells
    .map((c, i) => {
      const [, w] = COLUMNS[i] as [string, number];
      return i === 0 ? c.padEnd(w) : c.padStart(w);
    })
    .join(" ");

console.log(line(COLUMNS.map(([h]) => h)));
const rows: Row[] = [];
for (const file of LOAD_SERIES) {
  const trace = loadNab(file);
  let peak = 0;
  for (const v of trace.values) if (Number.isFinite(v)) peak = Math.max(peak, v);
  const requestsPerTaskPerMinute = (peak * 60_000) / trace.stepMs / (PEAK_TASKS * TARGET);
  const t0 = performance.now();
  const r = simulateScaling(trace, { requestsPerTaskPerMinute, targetUtilisation: TARGET });
  const row: Row = {
    trace: file.replace(/\.csv$/, ""),
    ramps: r.ramps,
    ttc: by(r.policies, (p) => p.meanTimeToCapacityMin),
    taskHours: by(r.policies, (p) => p.taskHours),
    under: by(r.policies, (p) => p.overCapacityMinutes),
    fasterPct: r.fasterScalingPct,
    vsTargetTrackingPct: r.taskHoursVsTargetTrackingPct,
    vsStaticPct: r.taskHoursVsStaticPct,
    seconds: (performance.now() - t0) / 1000,
  };
  rows.push(row);
  console.log(
    `${line([
      row.trace.slice(0, 32),
      String(row.ramps),
      f1(row.ttc["target-tracking"]),
      f1(row.ttc["static-peak"]),
      f1(row.ttc["aws-predictive"]),
      f1(row.ttc.deployed),
      f1(row.fasterPct),
      row.taskHours["static-peak"].toFixed(0),
      row.taskHours["target-tracking"].toFixed(0),
      row.taskHours.deployed.toFixed(0),
      sign(row.vsTargetTrackingPct),
      sign(row.vsStaticPct),
      String(row.under["target-tracking"]),
      String(row.under["aws-predictive"]),
      String(row.under.deployed),
    ])}   (${row.seconds.toFixed(1)} s)`,
  );
}

const stat = (pick: (r: Row) => number) => {
  const xs = rows.map(pick);
  return { median: quantile(xs, 0.5), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75) };
};
const faster = stat((r) => r.fasterPct);
const vsTt = stat((r) => r.vsTargetTrackingPct);
const vsSt = stat((r) => r.vsStaticPct);
const underDep = stat((r) => r.under.deployed);
const underTt = stat((r) => r.under["target-tracking"]);
const underAwsp = stat((r) => r.under["aws-predictive"]);
const ttcTt = stat((r) => r.ttc["target-tracking"]);
const ttcDep = stat((r) => r.ttc.deployed);
const ttcSt = stat((r) => r.ttc["static-peak"]);
const ttcAwsp = stat((r) => r.ttc["aws-predictive"]);
const spread = (s: { median: number; p25: number; p75: number }) =>
  `${f1(s.median)} (p25 ${f1(s.p25)}, p75 ${f1(s.p75)})`;
console.log(`\nmedian over ${rows.length} traces (quartiles in brackets):`);
console.log(
  `  time to capacity, min per ramp: deployed ${spread(ttcDep)}; target tracking + AWS predictive ${spread(ttcAwsp)}; target tracking ${spread(ttcTt)}; static peak ${spread(ttcSt)}`,
);
console.log(`  faster scaling, deployed vs target tracking: ${spread(faster)} %`);
console.log(`  task-hours, deployed vs target tracking: ${spread(vsTt)} %`);
console.log(`  task-hours, deployed vs static peak: ${spread(vsSt)} %`);
console.log(
  `  minutes under capacity: deployed ${spread(underDep)}; target tracking + AWS predictive ${spread(underAwsp)}; target tracking ${spread(underTt)}`,
);
console.log(
  "\nttc = mean minutes per ramp with capacity at target below the load; faster% = 1 - ttc(deployed)/ttc(target tracking);",
);
console.log(
  "dth/tt%, dth/st% = task-hours(deployed) / task-hours(target tracking | static peak) - 1; under = minutes with load above running capacity.",
);
// What the forecast policy costs a month, counted on the code that publishes and reads
// it, priced from the project's one dated price table (@slo/core/cost): custom metrics,
// alarm metrics (target tracking's alarms are metric math), Logs ingestion (EMF goes
// through Logs), GetMetricData. Predictive scaling and the AWS/ApplicationELB metrics it
// reads are free.
const RUNS_PER_MONTH = (30 * 86_400_000) / FORECAST_FEED.everyMs;
const one = FLEET[0] as (typeof FLEET)[number];
const runPoints = ecsCapacityPoints({
  service: one.name,
  stage: "production",
  predictedLoad: predictedLoadSeries(
    { startMs: 0, stepMs: 300_000, mean: Float64Array.from({ length: 6 }, () => 12_345.678) },
    { fromMs: 0 },
  ),
});
const metricsPerService = new Set(runPoints.map((p) => `${p.name}|${JSON.stringify(p.dimensions)}`))
  .size;
const emfBytesPerRun = toEmfLines(runPoints).reduce((a, l) => a + l.length + 1, 0);
const trackingMetrics = forecastTrackingPolicy({
  service: one.name,
  stage: "production",
  clusterName: "fleet",
  requestsPerTaskPerMinute: one.scaling.requestsPerTarget,
  scaleInCooldownSeconds: one.scaling.scaleInCooldownSeconds,
  scaleOutCooldownSeconds: one.scaling.scaleOutCooldownSeconds,
}).CustomizedMetricSpecification.Metrics.filter((m) => m.MetricStat).length;
// Target tracking creates a high and a low alarm, each on the policy's metric math.
const ALARMS_PER_TRACKING_POLICY = 2;
const queriesPerRun = Object.keys(capacityMetrics(one.name)).length;
const n = FLEET.length;
const cost = {
  custom_metrics: customMetricsCost(n * metricsPerService),
  tracking_alarms: n * ALARMS_PER_TRACKING_POLICY * trackingMetrics * PRICES.alarmMetricMonth,
  emf_ingestion: ((n * emfBytesPerRun * RUNS_PER_MONTH) / 2 ** 30) * PRICES.logsIngestionPerGb,
  get_metric_data: ((n * queriesPerRun * RUNS_PER_MONTH) / 1000) * PRICES.getMetricDataPer1kMetrics,
};
const total = Object.values(cost).reduce((a, b) => a + b, 0);
console.log(
  `\nmonthly cost of the forecast feed and policy, ${n} services, a run every ${FORECAST_FEED.everyMs / 60_000} min:`,
);
console.log(
  `  ${metricsPerService} custom metric per service $${cost.custom_metrics.toFixed(2)}; ${ALARMS_PER_TRACKING_POLICY} tracking alarms x ${trackingMetrics} metrics per service $${cost.tracking_alarms.toFixed(2)}; EMF ${emfBytesPerRun} B per run per service $${cost.emf_ingestion.toFixed(2)}; ${queriesPerRun} GetMetricData metric per run per service $${cost.get_metric_data.toFixed(2)}; total $${total.toFixed(2)}`,
);
const r1 = (v: number): number => Math.round(v * 10) / 10;
console.log(
  JSON.stringify({
    bench: "scaling",
    traces: rows.length,
    peak_tasks: PEAK_TASKS,
    target_utilisation: TARGET,
    median_faster_scaling_pct: r1(faster.median),
    median_task_hours_vs_target_tracking_pct: r1(vsTt.median),
    median_task_hours_vs_static_pct: r1(vsSt.median),
    under_capacity_minutes: r1(underDep.median),
    under_capacity_minutes_total: rows.reduce((a, r) => a + r.under.deployed, 0),
    under_capacity_minutes_target_tracking: r1(underTt.median),
    under_capacity_minutes_aws_predictive: r1(underAwsp.median),
    median_time_to_capacity_min: {
      deployed: r1(ttcDep.median),
      aws_predictive: r1(ttcAwsp.median),
      target_tracking: r1(ttcTt.median),
      static_peak: r1(ttcSt.median),
    },
    quartiles: {
      faster_scaling_pct: [r1(faster.p25), r1(faster.p75)],
      task_hours_vs_target_tracking_pct: [r1(vsTt.p25), r1(vsTt.p75)],
      task_hours_vs_static_pct: [r1(vsSt.p25), r1(vsSt.p75)],
      under_capacity_minutes: [r1(underDep.p25), r1(underDep.p75)],
    },
    monthly_cost_usd: Object.fromEntries(
      Object.entries({ ...cost, total }).map(([k, v]) => [k, Math.round(v * 100) / 100]),
    ),
    seconds: r1(rows.reduce((a, r) => a + r.seconds, 0)),
  }),
);
