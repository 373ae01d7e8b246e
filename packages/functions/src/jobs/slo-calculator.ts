import type { SloJobDeps } from "../runtime/deps.ts";
import { createJobHandler } from "../runtime/job.ts";
import { evaluateFleet, profileUnits, publishUnits } from "./evaluate-fleet.ts";

/** The metrics this job owns; burn rates and alert state belong to the burn-rate evaluator. */
export const SLO_CALCULATOR_METRICS: ReadonlySet<string> = new Set([
  "SLI",
  "Compliance",
  "ErrorBudgetRemaining",
]);

/**
 * The `slo-calculator` handler: SLI, compliance and error budget of every SLO in
 * `slos/`, from the incremental rollup, published to `Custom/SLO` with the evaluated
 * step's timestamp (a rerun overwrites, never double-counts).
 *
 * @example
 * export const handler = createSloCalculator(awsSloDeps(loadFunctionConfig("slo-calculator", process.env)));
 */
export function createSloCalculator(deps: SloJobDeps) {
  return createJobHandler("slo-calculator", deps, async (run) => {
    const fleet = await evaluateFleet(deps, run);
    const units = profileUnits(deps, fleet.reports, SLO_CALCULATOR_METRICS);
    const published = await publishUnits(deps.sink(run.budget.signal), units);
    return {
      evaluatedAt: new Date(fleet.endMs).toISOString(),
      succeeded: published.publishedUnits,
      failed: [...fleet.failed, ...published.failed],
      published: published.published,
    };
  });
}
