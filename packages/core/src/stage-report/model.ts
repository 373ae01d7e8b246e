import { SloPlatformError } from "../errors.ts";
import type { ObjectiveReport, SloReport } from "../slo/report.ts";

/**
 * The stage report: what the burn-rate evaluator knew of every SLO objective at the end
 * of one run, written to the rollup bucket each run. It is how the `minimal` metrics
 * profile keeps per-SLO numbers without a custom metric per objective: `slo gate --aws`
 * and `slo doctor` read it, and anyone can fetch it (one GET) for the whole stage.
 */

/** Bump on any change a reader of the previous version would misread. */
export const STAGE_REPORT_VERSION = 1;

/** Prefix of the stage report in the rollup bucket (the IAM grants are scoped to it). */
export const STAGE_REPORT_PREFIX = "reports/";

/** Object key of the stage report: one object, overwritten by every run. */
export const STAGE_REPORT_KEY = `${STAGE_REPORT_PREFIX}stage.json`;

/**
 * How old a report may be before its readers stop trusting it: two evaluation steps. The
 * evaluator writes one per step shortly after the step ends, so a fresh stage always has
 * one younger than this; an older one means the evaluator is not running.
 */
export const STAGE_REPORT_MAX_AGE_STEPS = 2;

/** `AlertState` values: the most severe firing tier of an objective. */
export const ALERT_STATE_VALUE = { ok: 0, ticket: 1, page: 2 } as const;
export type AlertStateValue = (typeof ALERT_STATE_VALUE)[keyof typeof ALERT_STATE_VALUE];

/** One objective of one SLO, as the evaluator judged it. */
export interface StageReportObjective {
  readonly service: string;
  readonly slo: string;
  readonly objective: string;
  readonly target: number;
  /** SLI over the SLO window; `null` without data. */
  readonly sli: number | null;
  /** Remaining error budget as a fraction (negative once overspent); `null` without data. */
  readonly budgetRemaining: number | null;
  /** Most severe firing tier (0 none, 1 ticket, 2 page); `null` when no tier could be judged. */
  readonly alertState: AlertStateValue | null;
}

/** An SLO (or a whole scope, e.g. a shard) the run could not evaluate, and why. */
export interface StageReportFailure {
  readonly name: string;
  readonly reason: string;
}

export interface StageReport {
  readonly version: typeof STAGE_REPORT_VERSION;
  readonly stage: string;
  /** End of the evaluated grid (exclusive): the step every number describes. */
  readonly evaluatedAtMs: number;
  readonly stepMs: number;
  readonly objectives: readonly StageReportObjective[];
  readonly failed: readonly StageReportFailure[];
}

/** Thrown when a stage report cannot be built or read; names the object and the fix. */
export class StageReportError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "StageReportError";
  }
}

/**
 * The `AlertState` of an objective: 2 when a page tier fires, 1 when a ticket tier does,
 * 0 when every judged tier is quiet, `null` when no tier could be judged (no data).
 *
 * @example
 * objectiveAlertState(report.objectives[0]); // 2 while the fast page tier fires
 */
export function objectiveAlertState(o: Pick<ObjectiveReport, "alerts">): AlertStateValue | null {
  const judged = o.alerts.filter((a) => a.state !== "no_data" && a.state !== "insufficient_data");
  if (judged.length === 0) return null;
  if (judged.some((a) => a.state === "firing" && a.severity === "page")) {
    return ALERT_STATE_VALUE.page;
  }
  if (judged.some((a) => a.state === "firing")) return ALERT_STATE_VALUE.ticket;
  return ALERT_STATE_VALUE.ok;
}

/**
 * The report rows of evaluated SLOs, one per objective.
 *
 * @example
 * const rows = stageReportObjectives(fleet.reports);
 */
export function stageReportObjectives(reports: readonly SloReport[]): StageReportObjective[] {
  return reports.flatMap((r) =>
    r.objectives.map((o) => ({
      service: r.service,
      slo: r.slo,
      objective: o.name,
      target: o.target,
      sli: o.sli,
      budgetRemaining: o.errorBudget.remainingFraction,
      alertState: objectiveAlertState(o),
    })),
  );
}

/**
 * Assembles the stage report of one run. Rows are sorted (service, SLO, objective) so two
 * runs over the same data write byte-identical objects, whatever order shards finished in.
 *
 * @example
 * const report = buildStageReport({ stage: "production", evaluatedAtMs: endMs, stepMs: 300_000, objectives: stageReportObjectives(reports), failed: [] });
 */
export function buildStageReport(input: {
  readonly stage: string;
  readonly evaluatedAtMs: number;
  readonly stepMs: number;
  readonly objectives: readonly StageReportObjective[];
  readonly failed: readonly StageReportFailure[];
}): StageReport {
  if (input.stage.trim() === "") {
    throw new StageReportError("a stage report needs the stage name (SLO_STAGE in the jobs)");
  }
  if (!(Number.isFinite(input.evaluatedAtMs) && input.stepMs > 0)) {
    throw new StageReportError(
      `a stage report needs a finite evaluation time and a positive step (got ${input.evaluatedAtMs}, ${input.stepMs})`,
    );
  }
  const objectives = [...input.objectives].sort(
    (a, b) => cmp(a.service, b.service) || cmp(a.slo, b.slo) || cmp(a.objective, b.objective),
  );
  const failed = [...input.failed].sort((a, b) => cmp(a.name, b.name) || cmp(a.reason, b.reason));
  return {
    version: STAGE_REPORT_VERSION,
    stage: input.stage,
    evaluatedAtMs: input.evaluatedAtMs,
    stepMs: input.stepMs,
    objectives,
    failed,
  };
}

/**
 * Each service's worst `AlertState` over its objectives, for the services where a tier
 * fires (the `minimal` profile publishes exactly these; quiet services publish nothing).
 *
 * @example
 * firingServices(report.objectives); // Map { "payment-service" => 2 }
 */
export function firingServices(
  objectives: readonly StageReportObjective[],
): Map<string, AlertStateValue> {
  const out = new Map<string, AlertStateValue>();
  for (const o of objectives) {
    if (o.alertState === null || o.alertState === ALERT_STATE_VALUE.ok) continue;
    const prev = out.get(o.service) ?? ALERT_STATE_VALUE.ok;
    out.set(o.service, Math.max(o.alertState, prev) as AlertStateValue);
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
