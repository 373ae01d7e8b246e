import type { MetricSink, RollupStore, StageReportStore } from "@slo/aws";
import type { MetricsSource } from "@slo/core/metrics";
import type { MetricsProfile } from "@slo/core/monitoring";
import type { CloudWatchMetricStat, SloDefinition } from "@slo/core/spec";
import type { AlertStateStore } from "./alert-store.ts";
import type { Notifier } from "./notifier.ts";
import type { Observability } from "./observability.ts";

/**
 * What every job needs, injected: Lambda passes AWS implementations (`awsDeps`),
 * tests and `slo invoke --local` pass the embedded fleet and in-memory stores, and both
 * run the very same handler code.
 */
export interface BaseDeps {
  readonly stage: string;
  /** Which Custom/SLO metrics the SLO jobs publish; the others are logged per objective. */
  readonly metricsProfile: MetricsProfile;
  /** Grid of counts, rollups and forecasts (5 minutes in AWS). */
  readonly stepMs: number;
  readonly obs: Observability;
  /** The SLO definitions (loaded once per container). */
  readonly loadSlos: () => Promise<LoadedSlos>;
  /** A metrics source for one run; `signal` is the run's time budget. */
  readonly metricsSource: (signal: AbortSignal) => MetricsSource;
  readonly sink: (signal: AbortSignal) => MetricSink;
  /** Evaluation time when the event carries none. */
  readonly now: () => number;
  /** Time kept back from the Lambda timeout for logging and the response. */
  readonly reserveMs: number;
}

/** Definitions plus the problems found in them (reported as job failures, not fatal). */
export interface LoadedSlos {
  readonly slos: readonly SloDefinition[];
  readonly problems: readonly string[];
}

export interface SloJobDeps extends BaseDeps {
  readonly rollupStore: (signal: AbortSignal) => RollupStore;
}

export interface BurnRateDeps extends SloJobDeps {
  readonly alertState: AlertStateStore;
  readonly notifier: Notifier;
  /** Where each run leaves the stage report (`@slo/core/stage-report`) for the gate and doctor. */
  readonly stageReports: StageReportStore;
  /**
   * Also announce budget-exhausted and no-data per objective (default false), when no
   * CloudWatch alarm does: see `evaluatorNotifiesConditions` in `@slo/core/monitoring`.
   */
  readonly notifyConditions?: boolean;
}

/** The per-service metric the load forecast reads. */
export interface CapacityMetrics {
  /** Requests per step (`Service` dimension), e.g. ALB `RequestCount` `Sum`. */
  readonly requests: CloudWatchMetricStat;
}

export interface PredictedLoadDeps extends BaseDeps {
  /** Builds the metric query of one service (the `Service` dimension filled in). */
  readonly capacityMetrics: (service: string) => CapacityMetrics;
  /** History the forecast is fitted on (default 14 days, like ECS predictive scaling). */
  readonly historyMs: number;
}
