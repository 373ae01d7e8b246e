import { type MetricPoint, serviceAlertStatePoints } from "@slo/aws";
import { publishesServiceAlertState } from "@slo/core/monitoring";
import {
  buildStageReport,
  type StageReportFailure,
  type StageReportObjective,
} from "@slo/core/stage-report";
import type { BurnRateDeps } from "../runtime/deps.ts";
import { errorMessage } from "../runtime/errors.ts";
import type { JobFailure, RunContext } from "../runtime/job.ts";

/**
 * The per-service `AlertState` unit of the `minimal` profile (firing services only),
 * empty in `full`, which publishes `AlertState` per objective instead.
 *
 * @example
 * const units = [...profileUnits(deps, reports, owned), ...serviceStateUnits(deps, rows, endMs)];
 */
export function serviceStateUnits(
  deps: Pick<BurnRateDeps, "stage" | "metricsProfile">,
  objectives: readonly StageReportObjective[],
  endMs: number,
): Array<readonly [string, MetricPoint[]]> {
  if (!publishesServiceAlertState(deps.metricsProfile)) return [];
  const points = serviceAlertStatePoints(objectives, deps.stage, endMs);
  return points.length > 0 ? [[SERVICE_STATE_UNIT, points] as const] : [];
}

/** Name of the per-service unit: not an SLO, so never listed as a succeeded SLO. */
export const SERVICE_STATE_UNIT = "service alert state";

/**
 * The SLOs of a run's published units (drops the per-service unit).
 *
 * @example
 * succeeded: sloUnits(published.publishedUnits),
 */
export function sloUnits(units: readonly string[]): string[] {
  return units.filter((u) => u !== SERVICE_STATE_UNIT);
}

/**
 * The failures a stage report lists: one per SLO, so the gate finds the reason by name
 * (run-level failures name their scope).
 */
export function reportFailures(failed: readonly JobFailure[]): StageReportFailure[] {
  return failed
    .filter((f) => f.scope !== "publish" && f.scope !== "notify" && f.scope !== "alert-state")
    .map((f) => ({ name: f.scope === "slo" ? f.name : `${f.scope}:${f.name}`, reason: f.reason }));
}

/**
 * Writes the run's stage report. A failed write is a job failure, not fatal: the readers
 * refuse a report older than two steps, so a stage whose writes keep failing blocks
 * deploys rather than deciding them on old numbers.
 *
 * @example
 * failed.push(...(await writeStageReport(deps, run, fleet.endMs, rows, fleet.failed)));
 */
export async function writeStageReport(
  deps: Pick<BurnRateDeps, "stage" | "stepMs" | "stageReports">,
  run: RunContext,
  endMs: number,
  objectives: readonly StageReportObjective[],
  failed: readonly JobFailure[],
): Promise<JobFailure[]> {
  try {
    const report = buildStageReport({
      stage: deps.stage,
      evaluatedAtMs: endMs,
      stepMs: deps.stepMs,
      objectives,
      failed: reportFailures(failed),
    });
    await deps.stageReports.put(report, run.budget.signal);
    return [];
  } catch (error) {
    return [{ scope: "stage-report", name: "put", reason: errorMessage(error) }];
  }
}
