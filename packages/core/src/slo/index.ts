/**
 * `@slo/core/slo`: the SLO math. Everything is derived from one prefix-sum pass over a
 * per-step good/total series, so any number of windows costs O(steps).
 */
export {
  type BurnRateAlertInput,
  evaluateBurnRateAlerts,
  windowBurnRate,
} from "./alerts.ts";
export {
  budgetConsumed,
  burnRate,
  burnRateThreshold,
  defaultTiers,
  REFERENCE_PERIOD_MS,
  timeToExhaustion,
} from "./burn-rate.ts";
export {
  calendarBoundary,
  calendarIndex,
  dayBoundaries,
  fromLocalTime,
  type LocalTime,
  localTime,
  type ResolvedWindow,
  resolveWindow,
} from "./calendar.ts";
export { SloEvaluationError, SloWindowError } from "./errors.ts";
export { EvaluationScratch, evaluateSlo } from "./evaluate.ts";
export { BUDGET_HISTORY_POINTS, budgetHistory, ratio, sliHistory } from "./history.ts";
export {
  buildPrefix,
  buildSlicePrefix,
  CHECKPOINT_STRIDE,
  type CountPrefix,
  PrefixScratch,
  type PrefixSource,
  type SliceOptions,
  stepIndex,
  type WindowCounts,
  windowSum,
} from "./prefix.ts";
export type * from "./report.ts";
