/**
 * The engine's normalised view of an OpenSLO v1 `SLO` (with its `SLI` resolved and
 * the project's extensions read). Parsing (`spec/parse.ts`) produces these; the SLO
 * math (`slo/*`), the query planner (`metrics/plan.ts`), the dashboards and alarms
 * consume them. Every duration is in milliseconds.
 */

/** Where a definition came from, so every later error can point at it. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line of the document's `kind:` line (or of the field when known). */
  readonly line: number;
}

/** A CloudWatch metric: namespace + name + dimensions + statistic. */
export interface CloudWatchMetricStat {
  readonly kind: "metric";
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name -> value. The logical dimension `Service` is resolved by the AWS adapter. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `SampleCount`, `Average`, `p95`, `p99.9`, `TM(10%:90%)`, `TC(:0.25)`, ... */
  readonly stat: string;
}

/** A CloudWatch metric-math expression over named metrics (`(m1 + m2) / m3`). */
export interface CloudWatchExpression {
  readonly kind: "expression";
  readonly expression: string;
  /** Metrics referenced by id in the expression. */
  readonly metrics: Readonly<Record<string, CloudWatchMetricStat>>;
}

export type CloudWatchQuery = CloudWatchMetricStat | CloudWatchExpression;

/** A metric source this engine cannot query; kept so it round-trips and is reported. */
export interface UnsupportedMetricSource {
  readonly kind: "unsupported";
  readonly type: string;
  readonly spec: Readonly<Record<string, unknown>>;
}

export type MetricSourceRef = CloudWatchQuery | UnsupportedMetricSource;

/** Ratio SLI: good/total, or bad/total (then good = total - bad). Counters per step. */
export interface RatioIndicator {
  readonly type: "ratio";
  readonly counter: boolean;
  readonly good?: MetricSourceRef;
  readonly bad?: MetricSourceRef;
  readonly total: MetricSourceRef;
}

/**
 * Threshold SLI: a metric compared with each objective's `op`/`value`. For
 * Occurrences the engine counts events meeting the threshold (CloudWatch `TC(..)` /
 * the embedded histogram); for Timeslices a slice is good when the statistic over the
 * slice meets the threshold.
 */
export interface ThresholdIndicator {
  readonly type: "threshold";
  readonly metric: MetricSourceRef;
}

export type Indicator = RatioIndicator | ThresholdIndicator;

export type BudgetingMethod = "Occurrences" | "Timeslices" | "RatioTimeslices";
export type ComparisonOp = "lt" | "lte" | "gt" | "gte";

export interface Objective {
  /** `displayName` or a generated `objective-<n>`; unique within the SLO. */
  readonly name: string;
  /** Fraction in (0,1), e.g. 0.999. */
  readonly target: number;
  /** Threshold objectives only. */
  readonly op?: ComparisonOp;
  readonly value?: number;
  /** Timeslices: a slice is good when its ratio >= this (default: `target` for ratio SLIs, 1 for threshold SLIs). */
  readonly timeSliceTarget?: number;
  /** Timeslices / RatioTimeslices: slice length in ms. */
  readonly timeSliceWindowMs?: number;
}

export type TimeWindow =
  | { readonly type: "rolling"; readonly durationMs: number }
  | {
      readonly type: "calendar";
      readonly unit: "Day" | "Week" | "Month" | "Quarter" | "Year";
      /** Count of units per window (OpenSLO `duration: 1M` -> 1). */
      readonly count: number;
      /** Anchor, epoch ms. */
      readonly startTimeMs: number;
      /** IANA zone, e.g. `Europe/Paris`. */
      readonly timeZone: string;
    };

/** A multi-window burn-rate alert tier. */
export interface AlertTier {
  readonly name: string;
  readonly severity: "page" | "ticket";
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  /** Fraction of the period's budget this tier catches being spent within the long window. */
  readonly budgetFraction: number;
  /** Burn-rate threshold = budgetFraction * period / longWindow. */
  readonly burnRateThreshold: number;
}

/** A maintenance/exclusion window: steps inside are removed from both good and total. */
export interface ExclusionWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly reason?: string;
}

export interface SloDefinition {
  /** `metadata.name`, unique across the loaded set. */
  readonly name: string;
  readonly displayName?: string;
  /** `spec.service` (name of an OpenSLO Service). */
  readonly service: string;
  readonly description?: string;
  readonly indicator: Indicator;
  /** Name of the referenced SLI when `indicatorRef` was used. */
  readonly indicatorRef?: string;
  readonly budgetingMethod: BudgetingMethod;
  readonly timeWindow: TimeWindow;
  readonly objectives: readonly Objective[];
  /** Alert tiers: the four defaults scaled to the period unless overridden. */
  readonly alertTiers: readonly AlertTier[];
  readonly exclusions: readonly ExclusionWindow[];
  /** Low-traffic guard: windows with fewer total events alert as `insufficient_data`. */
  readonly minEvents: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly location: SourceLocation;
}
