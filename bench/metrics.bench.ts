/**
 * What the SLO pipeline publishes and alarms on, per metrics profile, for the ten-service
 * fleet (41 SLOs): the three real jobs run once through their middy stacks on the
 * embedded fleet (local deps, recording sink), and every unique metric identity they
 * publish is counted (namespace + name + dimensions: Custom/SLO and Custom/ECS from the
 * sink, the jobs' own Powertools metrics from their EMF output); the alarms are the
 * ones infra declares (`buildFleetAlarms` + `buildJobAlarms`), counted with the metrics
 * each one bills for. Prices: AWS list prices, us-east-1, first tier (see PRICES).
 */

import path from "node:path";
import { loadFleetSlos } from "../infra/slos.ts";
import type { MetricPoint } from "../packages/aws/src/index.ts";
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

/** Dated list prices (us-east-1, first tier), as in /work/shared/DESIGN.md. */
const PRICES = {
  as_of: "2026-12-01",
  custom_metric_month: 0.3,
  alarm_metric_month: 0.1,
} as const;

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
): Promise<MetricPoint[]> {
  const deps = localDeps(name, { cwd: ROOT, stage: STAGE, metricsProfile: profile });
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

function alarmsFor(profile: MetricsProfile, pager: "evaluator" | "alarms") {
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

const slos = SLOS.length;
const rows: Record<string, Record<string, number>> = {};
for (const profile of ["full", "minimal"] as const) {
  const points = [
    ...(await runJob("slo-calculator", profile)),
    ...(await runJob("burn-rate-evaluator", profile)),
    ...(await runJob("predicted-load", profile)),
  ];
  const unique = new Set(points.map(identity));
  const sloMetrics = new Set(
    points.filter((p) => p.namespace === "Custom/SLO" && p.dimensions.SLO).map(identity),
  );
  for (const pager of ["evaluator", "alarms"] as const) {
    const a = alarmsFor(profile, pager);
    const metricUsd = unique.size * PRICES.custom_metric_month;
    const alarmUsd = a.billed * PRICES.alarm_metric_month;
    rows[`${profile}/${pager}`] = {
      unique_metrics: unique.size,
      slo_metrics_per_slo: sloMetrics.size / slos,
      alarms: a.alarms,
      slo_alarms_per_slo: a.sloAlarms / slos,
      alarm_metrics: a.billed,
      slo_alarm_metrics_per_slo: a.sloBilled / slos,
      usd_month: Number((metricUsd + alarmUsd).toFixed(2)),
      usd_per_slo_month: Number(
        (
          (sloMetrics.size * PRICES.custom_metric_month + a.sloBilled * PRICES.alarm_metric_month) /
          slos
        ).toFixed(3),
      ),
    };
  }
}

console.log(`${slos} SLOs, stage ${STAGE}, prices as of ${PRICES.as_of}`);
console.log(
  "profile/pager        unique  SLO metrics  alarms  SLO alarms  alarm     SLO alarm     $/month  SLO $/SLO-month",
);
console.log("                     metrics   per SLO             per SLO     metrics   metrics/SLO");
for (const [key, r] of Object.entries(rows)) {
  console.log(
    `${key.padEnd(20)} ${String(r.unique_metrics).padStart(7)} ${r.slo_metrics_per_slo!.toFixed(2).padStart(11)} ${String(r.alarms).padStart(7)} ${r.slo_alarms_per_slo!.toFixed(2).padStart(11)} ${String(r.alarm_metrics).padStart(9)} ${r.slo_alarm_metrics_per_slo!.toFixed(2).padStart(13)} ${r.usd_month!.toFixed(2).padStart(10)} ${r.usd_per_slo_month!.toFixed(3).padStart(16)}`,
  );
}
console.log(
  "SLO $/SLO-month = (Custom/SLO metrics + SLO alarm metrics) / SLOs; canaries, jobs' own metrics and alarms are in $/month only",
);
console.log(JSON.stringify({ slos, prices_as_of: PRICES.as_of, profiles: rows }));
