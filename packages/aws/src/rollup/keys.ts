import { createHash } from "node:crypto";
import { sloHistoryMs } from "@slo/core/pipeline";
import { type Objective, type SloDefinition, stableJson } from "@slo/core/spec";

const DAY_MS = 86_400_000;
/** Extra history kept beyond the longest window, so a late or skipped run still has it. */
export const ROLLUP_SLACK_MS = 3 * DAY_MS;

/**
 * Rollup key of one SLO objective.
 *
 * @example
 * rollupKey("user-service-availability", "objective-1"); // "user-service-availability/objective-1"
 */
export function rollupKey(slo: string, objective: string): string {
  return `${slo}/${objective}`;
}

/**
 * History a rollup must keep for an SLO: what the CLI fetches for it (`sloHistoryMs`:
 * the window, or two calendar periods so the previous period's compliance is reported
 * from the Lambda too) plus three days of slack.
 *
 * @example
 * rollupRetentionMs(def30d); // 33 days in ms
 */
export function rollupRetentionMs(def: SloDefinition): number {
  return sloHistoryMs(def) + ROLLUP_SLACK_MS;
}

/**
 * Identity of what an objective's counts are computed from: the indicator, the budgeting
 * method and the objective's threshold/slice settings (not its target, which does not
 * change counts). Stored with the rollup; a change forces a rebuild.
 *
 * @example
 * rollupFingerprint(def, def.objectives[0]); // "3f1a..." (hex)
 */
export function rollupFingerprint(def: SloDefinition, objective: Objective): string {
  const material = stableJson({
    indicator: def.indicator,
    budgetingMethod: def.budgetingMethod,
    op: objective.op ?? null,
    value: objective.value ?? null,
    timeSliceTarget: objective.timeSliceTarget ?? null,
    timeSliceWindowMs: objective.timeSliceWindowMs ?? null,
  });
  return createHash("sha256").update(material).digest("hex").slice(0, 32);
}
