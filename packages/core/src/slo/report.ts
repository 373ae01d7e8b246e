import type { BudgetingMethod } from "../spec/model.ts";

/** State of one burn-rate alert tier after evaluation. */
export type AlertState =
  /** Both windows exceed the threshold: the tier fires. */
  | "firing"
  /** Below threshold in at least one window. */
  | "ok"
  /** Would fire, but a faster tier of the same or higher severity is firing. */
  | "suppressed"
  /** A window has no events at all: reported, never treated as good. */
  | "no_data"
  /** Fewer events than the SLO's `minEvents` in the long window: too few to judge. */
  | "insufficient_data";

export interface AlertTierReport {
  readonly tier: string;
  readonly severity: "page" | "ticket";
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly threshold: number;
  /** Burn rate over the long / short window, `null` when the window has no data. */
  readonly longBurnRate: number | null;
  readonly shortBurnRate: number | null;
  readonly state: AlertState;
}

export interface ErrorBudgetReport {
  /** Budgeted bad units over the window (events for Occurrences, slices for Timeslices). */
  readonly allowed: number;
  readonly consumed: number;
  /** 1 - consumed/allowed; negative once overspent. `null` with no data. */
  readonly remainingFraction: number | null;
  /** The budget expressed as time at the window's average traffic. */
  readonly allowedMinutes: number;
  readonly consumedMinutes: number;
  readonly remainingMinutes: number;
}

export interface ObjectiveReport {
  readonly name: string;
  readonly target: number;
  readonly op?: string;
  readonly value?: number;
  /** SLI over the whole SLO window; `null` when the window has no data. */
  readonly sli: number | null;
  /** `null` when there is no data. */
  readonly compliant: boolean | null;
  /** Units the SLI was computed from: events (Occurrences) or slices (Timeslices, RatioTimeslices). */
  readonly good: number;
  readonly total: number;
  readonly errorBudget: ErrorBudgetReport;
  /** Burn rate over the most recent hour (the fastest page tier's long window). */
  readonly currentBurnRate: number | null;
  /** Milliseconds until the remaining budget is gone at `currentBurnRate`; `null` if not burning. */
  readonly timeToExhaustionMs: number | null;
  readonly alerts: readonly AlertTierReport[];
  /** Burn-down: remaining budget fraction at evenly spaced points across the window. */
  readonly budgetHistory: ReadonlyArray<{
    readonly atMs: number;
    readonly remainingFraction: number | null;
  }>;
  /** SLI per day across the window (`null` for a day without data). */
  readonly sliHistory: ReadonlyArray<{ readonly startMs: number; readonly sli: number | null }>;
  /** Burn rate of each distinct alert window, for charts. */
  readonly burnRates: ReadonlyArray<{
    readonly windowMs: number;
    readonly burnRate: number | null;
  }>;
  /** Completed calendar periods (calendar windows only): compliance per period. */
  readonly calendarHistory: ReadonlyArray<{
    readonly startMs: number;
    readonly endMs: number;
    readonly sli: number | null;
    readonly compliant: boolean | null;
  }>;
}

/** Everything computed for one SLO at one evaluation time. JSON-serialisable. */
export interface SloReport {
  readonly slo: string;
  readonly service: string;
  readonly displayName?: string;
  readonly budgetingMethod: BudgetingMethod;
  /** Evaluation time: the end (exclusive) of the SLO window. */
  readonly evaluatedAtMs: number;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  /** `no_data` when the whole window has no events. */
  readonly status: "ok" | "no_data";
  readonly objectives: readonly ObjectiveReport[];
}
