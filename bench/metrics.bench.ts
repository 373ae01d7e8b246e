/**
 * What the SLO pipeline publishes and alarms on, per metrics profile, for the ten-service
 * fleet (41 SLOs): the three real jobs run once through their middy stacks on the
 * embedded fleet (local deps, recording sink), and every unique metric identity they
 * publish is counted (namespace + name + dimensions: Custom/SLO and Custom/ECS from the
 * sink, the jobs' own Powertools metrics from their EMF output); the alarms are the
 * ones infra declares (`buildFleetAlarms` + `buildJobAlarms` + `buildDeploymentAlarms`),
 * counted with the metrics each one bills for. Prices: `@slo/core/cost`'s dated table
 * (us-east-1 list prices, first tier).
 *
 * The `minimal` profile's one metric per service, `AlertState` without `SLO`, is sparse:
 * published only while a tier of the service fires, and CloudWatch bills a custom metric
 * per hour it receives data. Its cost is measured, not assumed (bench/firing-share.ts, the
 * same measurement bench:cost prices): the real minimal evaluator runs once an hour over
 * the embedded fleet's last METRICS_HOURS hours (default 720, its last 30 days) and the
 * hours each service published are counted. The dense upper bound (every service
 * firing all month) is printed next to it.
 */

import path from "node:path";
import { loadFleetSlos } from "../infra/slos.ts";
import type { MetricPoint } from "../packages/aws/src/index.ts";
import { PRICES as COST_PRICES } from "../packages/core/src/cost/index.ts";
import { EMBEDDED_FLEET_END_MS } from "../packages/core/src/embedded/index.ts";
import {
  type AlarmDefinition,
  buildDeploymentAlarms,
  buildFleetAlarms,
  buildJobAlarms,
  type MetricsProfile,
} from "../packages/core/src/monitoring/index.ts";
import { createBurnRateEvaluator } from "../packages/functions/src/jobs/burn-rate-evaluator.ts";
import { createPredictedLoad } from "../packages/functions/src/jobs/predicted-load.ts";
import { createSloCalculator } from "../packages/functions/src/jobs/slo-calculator.ts";
import { parseEmfOutput } from "../packages/functions/src/runtime/emf.ts";
import { fakeLambdaContext } from "../packages/functions/src/runtime/lambda-context.ts";
import { localDeps } from "../packages/functions/src/runtime/local-deps.ts";
import { FLEET } from "../stacks/fleet.ts";
import { measureFiringShare } from "./firing-share.ts";

/** The cost model's dated list prices (us-east-1): first custom-metric tier, alarms. */
const PRICES = {
  as_of: COST_PRICES.asOf,
  custom_metric_month: COST_PRICES.customMetricTiers[0]?.usd ?? Number.NaN,
  alarm_metric_month: COST_PRICES.alarmMetricMonth,
  hours_per_month: COST_PRICES.hoursPerMonth,
} as const;
const HOURS = Number(process.env.METRICS_HOURS ?? "720");
if (!(Number.isInteger(HOURS) && HOURS >= 1 && HOURS <= 24 * 30)) {
  throw new Error(
    `METRICS_HOURS="${process.env.METRICS_HOURS}" must be a whole number of hours from 1 to 720 (default 720: the embedded fleet's last 30 days)`,
  );
}

const STAGE = "production";
const ROOT = path.resolve(import.meta.dirname, "..");
/** The definitions infra alarms on and the jobs evaluate: slos/, as `sst deploy` loads them. */
const SLOS = await loadFleetSlos(ROOT, FLEET);
const topics = { page: "arn:aws:sns:us-east-1:1:page", ticket: "arn:aws:sns:us-east-1:1:ticket" };

const identity = (p: MetricPoint) =>
  `${p.namespace}|${p.name}|${JSON.stringify(Object.entries(p.dimensions).sort())}`;

/** Runs one job with stdout captured; returns the sink's points and the EMF points. */
async function runJob(
  name: "slo-calculator" | "burn-rate-evaluator" | "predicted-load",
  profile: MetricsProfile,
  nowMs: number = EMBEDDED_FLEET_END_MS,
): Promise<MetricPoint[]> {
  const deps = localDeps(name, { cwd: ROOT, stage: STAGE, metricsProfile: profile, nowMs });
  const handler =
    name === "slo-calculator"
      ? createSloCalculator(deps)
      : name === "burn-rate-evaluator"
        ? createBurnRateEvaluator(deps)
        : createPredictedLoad(deps);
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await handler({}, fakeLambdaContext(name, { timeoutMs: 120_000 }));
  } finally {
    process.stdout.write = write;
  }
  return [...deps.recorder.points, ...parseEmfOutput(chunks.join(""))];
}

function alarmsFor(
  profile: MetricsProfile,
  pager: "evaluator" | "alarms",
): {
  alarms: number;
  billed: number;
  sloAlarms: number;
  sloBilled: number;
} {
  const jobs = ["slo-calculator", "burn-rate-evaluator", "predicted-load"].map((job) => ({
    job,
    functionName: `${STAGE}-${job}`,
    namespace: job === "predicted-load" ? "Custom/ECS" : "Custom/SLO",
    service: job,
    periodSeconds: 300,
  }));
  const opts = { prefix: `slo-${STAGE}`, stage: STAGE, topics };
  const all: AlarmDefinition[] = [
    ...buildFleetAlarms(SLOS, { ...opts, metrics: profile, burnRateActions: pager === "alarms" }),
    ...buildJobAlarms(jobs, opts),
    // The per-service page conditions the ECS deployments roll back on (issue 12).
    ...buildDeploymentAlarms(SLOS, {
      ...opts,
      metrics: profile,
      burnRateActions: pager === "alarms",
    }).alarms,
  ];
  const billed = all.reduce((n, a) => n + a.metricQueries.filter((q) => q.metric).length, 0);
  const sloOnly = all.filter((a) => a.kind !== "canary" && !a.kind.startsWith("job-"));
  const sloBilled = sloOnly.reduce((n, a) => n + a.metricQueries.filter((q) => q.metric).length, 0);
  return { alarms: all.length, billed, sloAlarms: sloOnly.length, sloBilled };
}

/** The per-service `AlertState` of `minimal`: one metric per service, no `SLO` dimension. */
const isServiceAlertState = (p: MetricPoint) =>
  p.namespace === "Custom/SLO" && p.name === "AlertState" && p.dimensions.SLO === undefined;

const slos = SLOS.length;
const services = new Set(SLOS.map((s) => s.service)).size;
const sparse = await measureFiringShare({ cwd: ROOT, stage: STAGE, hours: HOURS });
const firingShare = sparse.share;
// Billed per metric-hour: the measured share of the month, and every hour as the bound.
const sparseUsd = {
  measured: firingShare * services * PRICES.custom_metric_month,
  dense: services * PRICES.custom_metric_month,
};

const rows: Record<string, Record<string, number | string>> = {};
let crossCheck = "";
for (const profile of ["full", "minimal"] as const) {
  const points = [
    ...(await runJob("slo-calculator", profile)),
    ...(await runJob("burn-rate-evaluator", profile)),
    ...(await runJob("predicted-load", profile)),
  ];
  // Always-published identities; the sparse per-service AlertState is priced apart.
  const unique = new Set(points.filter((p) => !isServiceAlertState(p)).map(identity));
  const sloMetrics = new Set(
    points.filter((p) => p.namespace === "Custom/SLO" && p.dimensions.SLO).map(identity),
  );
  if (profile === "minimal") {
    // What the minimal jobs published at the last step against the rule measured above.
    const published = new Map(
      points.filter(isServiceAlertState).map((p) => [String(p.dimensions.Service), p.value]),
    );
    const expected = [...sparse.last].sort().join(",");
    crossCheck =
      [...published].sort().join(",") === expected
        ? `the minimal jobs published the per-service AlertState of exactly the firing services at the last step (${expected})`
        : `MISMATCH: the minimal jobs published ${[...published].sort().join(",")} at the last step, the rule says ${expected}`;
  }
  for (const pager of ["evaluator", "alarms"] as const) {
    let a: ReturnType<typeof alarmsFor>;
    try {
      a = alarmsFor(profile, pager);
    } catch (error) {
      rows[`${profile}/${pager}`] = { refused: (error as Error).message };
      continue;
    }
    const perService = profile === "minimal" ? sparseUsd : { measured: 0, dense: 0 };
    const metricUsd = unique.size * PRICES.custom_metric_month;
    const alarmUsd = a.billed * PRICES.alarm_metric_month;
    const sloUsd = (sparseMetricUsd: number) =>
      Number(
        (
          (sloMetrics.size * PRICES.custom_metric_month +
            sparseMetricUsd +
            a.sloBilled * PRICES.alarm_metric_month) /
          slos
        ).toFixed(3),
      );
    rows[`${profile}/${pager}`] = {
      unique_metrics: unique.size,
      slo_metrics_per_slo: sloMetrics.size / slos,
      service_alert_state_metrics: profile === "minimal" ? services : 0,
      alarms: a.alarms,
      slo_alarms_per_slo: a.sloAlarms / slos,
      alarm_metrics: a.billed,
      slo_alarm_metrics_per_slo: a.sloBilled / slos,
      usd_month: Number((metricUsd + perService.measured + alarmUsd).toFixed(2)),
      usd_per_slo_month: sloUsd(perService.measured),
      usd_per_slo_month_dense_bound: sloUsd(perService.dense),
    };
  }
}

const num = (r: Record<string, number | string>, k: string) => Number(r[k]);
console.log(`${slos} SLOs, ${services} services, stage ${STAGE}, prices as of ${PRICES.as_of}`);
console.log(
  "profile/pager        unique  SLO metrics  alarms  SLO alarms  alarm     SLO alarm     $/month  SLO $/SLO-month  dense bound",
);
console.log("                     metrics   per SLO             per SLO     metrics   metrics/SLO");
for (const [key, r] of Object.entries(rows)) {
  if (r.refused !== undefined) {
    console.log(`${key.padEnd(20)} refused: ${r.refused}`);
    continue;
  }
  console.log(
    `${key.padEnd(20)} ${String(r.unique_metrics).padStart(7)} ${num(r, "slo_metrics_per_slo").toFixed(2).padStart(11)} ${String(r.alarms).padStart(7)} ${num(r, "slo_alarms_per_slo").toFixed(2).padStart(11)} ${String(r.alarm_metrics).padStart(9)} ${num(r, "slo_alarm_metrics_per_slo").toFixed(2).padStart(13)} ${num(r, "usd_month").toFixed(2).padStart(10)} ${num(r, "usd_per_slo_month").toFixed(3).padStart(16)} ${num(r, "usd_per_slo_month_dense_bound").toFixed(3).padStart(12)}`,
  );
}
console.log(
  "SLO $/SLO-month = (Custom/SLO metrics per objective + minimal's per-service AlertState + SLO alarm metrics) / SLOs; canaries, jobs' own metrics and alarms are in $/month only",
);
console.log(
  `minimal's per-service AlertState (sparse, billed per metric-hour): ${sparse.metricHours} metric-hours of ${services * HOURS} in the embedded fleet's last ${HOURS} h ` +
    `(${sparse.runs} evaluator runs, one an hour, ${sparse.seconds.toFixed(0)} s; bench/firing-share.ts), firing share ${(firingShare * 100).toFixed(2)}% ` +
    `(${Object.entries(sparse.byService)
      .map(([s, h]) => `${s} ${h} h`)
      .join(", ")}): $${sparseUsd.measured.toFixed(2)}/month at this share, ` +
    `$${sparseUsd.dense.toFixed(2)}/month dense upper bound (every service firing every hour). A real fleet's firing share is not measured here.`,
);
console.log(`cross-check: ${crossCheck}`);
console.log(
  JSON.stringify({
    slos,
    services,
    prices_as_of: PRICES.as_of,
    service_alert_state: {
      hours: HOURS,
      metric_hours: sparse.metricHours,
      firing_share: Number(firingShare.toFixed(4)),
      usd_month_measured: Number(sparseUsd.measured.toFixed(2)),
      usd_month_dense_upper_bound: Number(sparseUsd.dense.toFixed(2)),
      measured_on: "embedded fleet, real evaluator hourly",
    },
    profiles: rows,
  }),
);
