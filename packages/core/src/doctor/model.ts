/**
 * What `slo doctor` compares: what a stage declares (its profile, fleet, SLOs and
 * alarm definitions, all known before any AWS call) and what AWS says is deployed, both
 * as plain data. The AWS reading lives in `@slo/aws`; the judging here is pure.
 */
import type { StageReport } from "../stage-report/model.ts";

/** One line of the checklist: ✓ pass, ✗ fail (exit 1), ! warn. */
export interface CheckResult {
  /** Which check produced it, e.g. `services`, `scaling`. */
  readonly check: string;
  readonly status: "pass" | "fail" | "warn";
  /** What the line is about: a service, a job, an alarm. */
  readonly subject: string;
  readonly message: string;
  /** What to do about a fail or a warn. */
  readonly fix?: string;
}

/** One fleet service as the stage declares it. */
export interface DeclaredService {
  readonly name: string;
  readonly healthPath: string;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Target-tracking policies it must have (SST creates one per scaling metric). */
  readonly targetTrackingPolicies: number;
  /** Name of its predictive scaling policy. */
  readonly predictivePolicy: string;
}

/** One scheduled job as the stage declares it. */
export interface DeclaredJob {
  readonly job: string;
  readonly periodSeconds: number;
  /** Query ids in the metrics snapshot of its heartbeat (units succeeded) and errors. */
  readonly unitsMetricId: string;
  readonly errorsMetricId: string;
}

/** One alarm as the stage declares it (the subset doctor checks). */
export interface DeclaredAlarm {
  readonly name: string;
  readonly actionsEnabled: boolean;
  /** `page` / `ticket`: the topic its actions must point at after the profile's route, or none. */
  readonly topic: "page" | "ticket" | null;
  /** Longest a healthy alarm may sit in INSUFFICIENT_DATA (its evaluation range). */
  readonly maxInsufficientSeconds: number;
}

/** One SLO objective whose budget doctor reads from the stage report. */
export interface DeclaredBudget {
  readonly slo: string;
  /** The objective's name, as the stage report keys it (with the SLO's name). */
  readonly objective: string;
  readonly service: string;
}

/** Everything the stage declares, as doctor needs it. */
export interface StageDeclaration {
  readonly stage: string;
  readonly cluster: string;
  /** Availability zones the stage's tasks run in. */
  readonly azs: number;
  readonly services: readonly DeclaredService[];
  readonly jobs: readonly DeclaredJob[];
  readonly alarms: readonly DeclaredAlarm[];
  readonly budgets: readonly DeclaredBudget[];
  /** Metric query ids of each service's canary `SuccessPercent`. */
  readonly canaryMetricIds: Readonly<Record<string, string>>;
  readonly canaryPeriodSeconds: number;
  readonly deadLetterMetricId: string;
  /**
   * How the alert topics' names start (`AlertsPageTopic`): SST autonames the topics, so
   * an alarm action ARN names its topic by this prefix.
   */
  readonly topicNamePrefix: Readonly<Record<"page" | "ticket", string>>;
  /** Budget fraction the gate keeps in reserve (`--min-budget`). */
  readonly budgetReserve: number;
}

/** A deployed ECS service as DescribeServices / DescribeTasks show it. */
export interface ObservedService {
  readonly name: string;
  readonly status: string;
  readonly running: number;
  readonly desired: number;
  /** Rollout state of the PRIMARY deployment. */
  readonly rolloutState?: string;
  readonly rolloutReason?: string;
  /** Running tasks per availability zone. */
  readonly tasksByZone: Readonly<Record<string, number>>;
  readonly targetGroupArns: readonly string[];
}

export interface ObservedTargetGroup {
  readonly arn: string;
  readonly healthCheckPath?: string;
  /** Registered targets by health state (`healthy`, `unhealthy`, `draining`...). */
  readonly targets: ReadonlyArray<{
    readonly id: string;
    readonly state: string;
    readonly reason?: string;
  }>;
}

export interface ObservedScaling {
  readonly service: string;
  readonly min: number;
  readonly max: number;
  readonly suspended: {
    readonly scaleIn: boolean;
    readonly scaleOut: boolean;
    readonly scheduled: boolean;
  };
  readonly policies: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  /** Most recent first. */
  readonly activities: ReadonlyArray<{
    readonly startMs: number;
    readonly status: string;
    readonly cause: string;
    readonly description: string;
  }>;
  /** Hourly forecast points the predictive policy has for the coming hours (0: none yet). */
  readonly forecastPoints: number | null;
}

export interface ObservedAlarm {
  readonly name: string;
  readonly state: "OK" | "ALARM" | "INSUFFICIENT_DATA";
  readonly stateSinceMs: number;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
}

/** Latest datapoint of a metric query: value and time, `null` when none in the lookback. */
export interface ObservedPoint {
  readonly value: number;
  readonly atMs: number;
}

/** Everything doctor read from AWS. */
export interface StageObservation {
  readonly nowMs: number;
  readonly services: readonly ObservedService[];
  /** Services DescribeServices reported missing. */
  readonly missingServices: readonly string[];
  readonly targetGroups: readonly ObservedTargetGroup[];
  readonly scaling: readonly ObservedScaling[];
  readonly alarms: readonly ObservedAlarm[];
  /** Per metric query id: every datapoint in the lookback, newest first. */
  readonly metrics: Readonly<Record<string, readonly ObservedPoint[]>>;
  /**
   * The stage report the burn-rate evaluator writes each run, as read from S3 (the
   * budgets and the stage-report checks judge it); absent when it was not read.
   */
  readonly stageReport?: ObservedStageReport;
  /**
   * Differences between the zero-trust posture the stage declares and the deployed one
   * (`comparePosture` in @slo/aws); absent when the posture was not read.
   */
  readonly posture?: readonly PostureDifference[];
}

/**
 * What reading the stage report found at `location` (`s3://bucket/reports/stage.json`):
 * the report, no object (no run wrote one), or why it could not be read.
 */
export type ObservedStageReport =
  | { readonly location: string; readonly status: "found"; readonly report: StageReport }
  | { readonly location: string; readonly status: "missing" }
  | { readonly location: string; readonly status: "unreadable"; readonly reason: string };

/** One way a service's deployed zero-trust posture differs from the declared one. */
export interface PostureDifference {
  readonly service: string;
  /** What differs: `service`, `ecs-exec`, `tls`, `ingress`, `auth-policy`... */
  readonly check: string;
  readonly message: string;
}

/** One independent check: adding a check to doctor is one more entry in `DOCTOR_CHECKS`. */
export type DoctorCheck = (declared: StageDeclaration, observed: StageObservation) => CheckResult[];
