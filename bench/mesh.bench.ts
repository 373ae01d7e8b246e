/**
 * `pnpm bench:mesh`: what zero trust costs per stage, counted from each stage's plan
 * (evaluated offline under the Pulumi mocks, as `infra:plan` does) at the list prices in
 * the project's one price table (`@slo/core/cost` PRICES), plus the traffic-dependent part for an example load:
 * `MESH_BENCH_GB_PER_DAY` GB a day through Lattice (default 5). Also times one plan
 * evaluation per stage (median of `MESH_BENCH_RUNS`, default 3). The last line is JSON.
 */
import path from "node:path";
import { bundleEvaluator, evaluateStage } from "../infra/testing/bundle.ts";
import { meshCost, plannedPosture } from "../infra/testing/zero-trust.ts";
import { PRICES } from "../packages/core/src/cost/index.ts";
import { FLEET } from "../stacks/index.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const STAGES = ["dev", "staging", "production"] as const;
const RUNS = Number(process.env.MESH_BENCH_RUNS ?? 3);
const GB_PER_DAY = Number(process.env.MESH_BENCH_GB_PER_DAY ?? 5);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

const entry = await bundleEvaluator(ROOT);
const results = [];
for (const stage of STAGES) {
  const times: number[] = [];
  let plan: Awaited<ReturnType<typeof evaluateStage>> | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    plan = await evaluateStage(ROOT, entry, stage);
    times.push(performance.now() - t0);
  }
  const cost = meshCost(plan!);
  const posture = plannedPosture(plan!, FLEET);
  const edges = Object.values(posture.services).reduce(
    (n, s) => n + s.admits.filter((a) => a !== "alb" && a !== "vpc-lattice").length,
    0,
  );
  const trafficUsd = cost.per_gb_usd * GB_PER_DAY * 30;
  const total = Math.round((cost.monthly_usd + trafficUsd) * 100) / 100;
  results.push({
    stage,
    fixed_monthly_usd: cost.monthly_usd,
    traffic_monthly_usd: Math.round(trafficUsd * 100) / 100,
    total_monthly_usd: total,
    certificate_authorities: cost.certificate_authorities,
    lattice_services: cost.lattice_services,
    declared_edges: edges,
    plan_ms_median: Math.round(median(times)),
  });
  console.log(
    `${stage.padEnd(11)} CA ${cost.certificate_authorities}  Lattice services ${String(cost.lattice_services).padStart(2)}  edges ${edges}  fixed $${cost.monthly_usd.toFixed(2)}/month  + ${GB_PER_DAY} GB/day through Lattice $${trafficUsd.toFixed(2)}  = $${total.toFixed(2)}/month  (plan ${Math.round(median(times))} ms median of ${RUNS})`,
  );
}
console.log(
  `prices: Private CA short-lived $${PRICES.privateCaShortLivedMonth}/month, Lattice $${PRICES.latticeServiceHour}/service-hour and $${PRICES.latticePerGb}/GB (us-east-1, ${PRICES.asOf}); certificates and Lattice requests not modelled`,
);
console.log(JSON.stringify({ bench: "mesh", gb_per_day: GB_PER_DAY, runs: RUNS, stages: results }));
