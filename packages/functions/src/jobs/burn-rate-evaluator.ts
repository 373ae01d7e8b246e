import { stageReportObjectives } from "@slo/core/stage-report";
import {
  type AlertObservation,
  type AlertStateDocument,
  observeAlerts,
  observeConditions,
  planAlertTransitions,
  revertAlerts,
} from "../runtime/alert-state.ts";
import type { BurnRateDeps } from "../runtime/deps.ts";
import { errorMessage } from "../runtime/errors.ts";
import { createJobHandler, type JobFailure, type RunContext } from "../runtime/job.ts";
import { evaluateFleet, profileUnits, publishUnits } from "./evaluate-fleet.ts";
import { serviceStateUnits, sloUnits, writeStageReport } from "./stage-report.ts";

/** The metrics this job owns. */
export const BURN_RATE_METRICS: ReadonlySet<string> = new Set(["BurnRate", "AlertState"]);

/**
 * Announces alert state changes: loads the stored state, notifies each change on its
 * severity's topic, and saves the new state. A change whose notification failed is not
 * saved, so the next run retries it; an unreadable state is rebuilt (and reported).
 * The sharded path calls it once with every shard's observations merged.
 */
export async function notifyChanges(
  deps: BurnRateDeps,
  run: RunContext,
  observations: readonly AlertObservation[],
  knownSlos: ReadonlySet<string>,
  endMs: number,
): Promise<{ sent: number; failed: JobFailure[] }> {
  const failed: JobFailure[] = [];
  let loaded: Awaited<ReturnType<BurnRateDeps["alertState"]["load"]>>;
  try {
    loaded = await deps.alertState.load(run.budget.signal);
  } catch (error) {
    // Without the previous state every firing alert would look new: page nobody this run.
    return {
      sent: 0,
      failed: [{ scope: "alert-state", name: "load", reason: errorMessage(error) }],
    };
  }
  if (loaded.problem) failed.push({ scope: "alert-state", name: "load", reason: loaded.problem });
  const { next, notifications } = planAlertTransitions(
    loaded.state,
    observations,
    endMs,
    knownSlos,
  );
  const undelivered: string[] = [];
  for (const n of notifications) {
    try {
      await deps.notifier.notify(n, run.budget.signal);
    } catch (error) {
      undelivered.push(n.key);
      failed.push({ scope: "notify", name: n.key, reason: errorMessage(error) });
    }
  }
  const toSave: AlertStateDocument = revertAlerts(next, loaded.state, undelivered);
  try {
    await deps.alertState.save(toSave, loaded.version, run.budget.signal);
  } catch (error) {
    failed.push({ scope: "alert-state", name: "save", reason: errorMessage(error) });
  }
  return { sent: notifications.length - undelivered.length, failed };
}

/** Burn-rate tiers, plus budget-exhausted and no-data when the evaluator announces them. */
export function observeAll(
  deps: Pick<BurnRateDeps, "notifyConditions">,
  reports: Parameters<typeof observeAlerts>[0],
): AlertObservation[] {
  const tiers = observeAlerts(reports);
  return deps.notifyConditions ? [...tiers, ...observeConditions(reports)] : tiers;
}

/**
 * The `burn-rate-evaluator` handler: multi-window, multi-burn-rate evaluation of every
 * SLO; publishes `AlertState` per firing service (`minimal`) or `BurnRate` and
 * `AlertState` per objective (`full`), writes the stage report the gate reads, and
 * notifies the page or ticket SNS topic only when an alert starts or stops firing.
 *
 * @example
 * export const handler = createBurnRateEvaluator(awsBurnRateDeps(loadFunctionConfig("burn-rate-evaluator", process.env)));
 */
export function createBurnRateEvaluator(deps: BurnRateDeps) {
  return createJobHandler("burn-rate-evaluator", deps, async (run) => {
    const fleet = await evaluateFleet(deps, run);
    const rows = stageReportObjectives(fleet.reports);
    const units = [
      ...profileUnits(deps, fleet.reports, BURN_RATE_METRICS),
      ...serviceStateUnits(deps, rows, fleet.endMs),
    ];
    const published = await publishUnits(deps.sink(run.budget.signal), units);
    const reported = await writeStageReport(deps, run, fleet.endMs, rows, fleet.failed);
    const notified = await notifyChanges(
      deps,
      run,
      observeAll(deps, fleet.reports),
      new Set(fleet.slos.map((s) => s.name)),
      fleet.endMs,
    );
    return {
      evaluatedAt: new Date(fleet.endMs).toISOString(),
      succeeded: sloUnits(published.publishedUnits),
      failed: [...fleet.failed, ...published.failed, ...notified.failed, ...reported],
      published: published.published,
      notifications: notified.sent,
    };
  });
}
