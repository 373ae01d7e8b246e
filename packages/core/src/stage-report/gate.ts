import type { GateObjective } from "../gate/decide.ts";
import type { SloDefinition } from "../spec/model.ts";
import { formatDuration } from "../time/duration.ts";
import { ALERT_STATE_VALUE, STAGE_REPORT_MAX_AGE_STEPS, type StageReport } from "./model.ts";

/**
 * Why a stage report cannot be trusted at `nowMs` for `stage`, or `null` when it can: it
 * is another stage's, or older than {@link STAGE_REPORT_MAX_AGE_STEPS} steps (the
 * evaluator stopped, so its numbers no longer describe the service), or from the future
 * (a clock or a forged object).
 *
 * @example
 * staleness(report, "production", Date.now()); // null while the evaluator runs
 */
export function staleness(report: StageReport, stage: string, nowMs: number): string | null {
  if (report.stage !== stage) {
    return `the stage report is stage "${report.stage}"'s, not "${stage}"'s`;
  }
  const at = new Date(report.evaluatedAtMs).toISOString();
  const ageMs = nowMs - report.evaluatedAtMs;
  const maxMs = STAGE_REPORT_MAX_AGE_STEPS * report.stepMs;
  if (ageMs > maxMs) {
    return `the stage report was evaluated at ${at}, ${formatDuration(Math.max(60_000, Math.round(ageMs / 60_000) * 60_000))} ago (older than ${STAGE_REPORT_MAX_AGE_STEPS} steps): the burn-rate evaluator is not running; see slo doctor`;
  }
  if (ageMs < -report.stepMs) {
    return `the stage report says it was evaluated at ${at}, in the future: check this machine's clock`;
  }
  return null;
}

/**
 * The gate's view of `slos` from the stage report. Fails closed: every objective of a
 * report that {@link staleness} refuses, and of an SLO the run could not evaluate, is
 * untrusted (blocks whatever the no-data policy says). An SLO the report does not know
 * (added since the last deploy) is no data, which the policy decides.
 *
 * @example
 * const objectives = gateObjectivesFromStageReport(report, slos, "production", Date.now());
 * decideDeploy(objectives, { minBudgetRemaining: 0.1 });
 */
export function gateObjectivesFromStageReport(
  report: StageReport,
  slos: readonly SloDefinition[],
  stage: string,
  nowMs: number,
): GateObjective[] {
  const stale = staleness(report, stage, nowMs);
  const rows = new Map(report.objectives.map((o) => [`${o.slo}\u0000${o.objective}`, o]));
  const failures = new Map<string, string>();
  for (const f of report.failed) if (!failures.has(f.name)) failures.set(f.name, f.reason);
  return slos.flatMap((slo) =>
    slo.objectives.map((o): GateObjective => {
      const base = { slo: slo.name, objective: o.name, service: slo.service };
      if (stale !== null) {
        return { ...base, budgetRemaining: null, firing: null, untrusted: stale };
      }
      const row = rows.get(`${slo.name}\u0000${o.name}`);
      if (row === undefined) {
        const failed = failures.get(slo.name);
        return failed === undefined
          ? { ...base, budgetRemaining: null, firing: null }
          : {
              ...base,
              budgetRemaining: null,
              firing: null,
              untrusted: `the evaluator could not evaluate it at ${new Date(report.evaluatedAtMs).toISOString()}: ${failed}`,
            };
      }
      return {
        ...base,
        budgetRemaining: row.budgetRemaining,
        firing:
          row.alertState === ALERT_STATE_VALUE.page
            ? "page"
            : row.alertState === ALERT_STATE_VALUE.ticket
              ? "ticket"
              : null,
      };
    }),
  );
}
