import type { MetricsProfile } from "../packages/core/src/monitoring/metrics.ts";
import { StageConfigError } from "./errors.ts";
import type { FargateCpu } from "./fleet.ts";

/** The stages that have a profile; any other stage name runs the `dev` profile. */
export type ProfileName = "dev" | "staging" | "production";

/** Which SNS topic an alert severity notifies in this stage. */
export type AlertTopicName = "page" | "ticket";

/**
 * Everything that differs between stages. Infra code reads only this and the fleet,
 * never `$app.stage`, so a stage's shape is fully described (and tested) here.
 */
export interface StageProfile {
  readonly name: ProfileName;
  readonly network: {
    /** Availability zones the VPC (and so subnets, NAT, tasks) spans. */
    readonly azs: number;
    /** `managed`: a NAT gateway per AZ; `ec2`: a fck-nat t4g.nano per AZ (~10x cheaper). */
    readonly nat: "managed" | "ec2";
  };
  readonly tasks: {
    /** When set, every task runs at this size instead of the fleet's (cheap stages). */
    readonly cpuOverride?: FargateCpu;
    readonly memoryOverride?: `${number} GB`;
    /** Share of FARGATE_SPOT in the capacity mix, 0..1 (spot can be reclaimed). */
    readonly spotShare: number;
  };
  readonly capacity: {
    /** Multiplies the fleet's min/max task counts; results are rounded up. */
    readonly scale: number;
    /** Lower bound on every service's min tasks: 2+ keeps a task per AZ for failover. */
    readonly minTasksFloor: number;
    /** ForecastOnly publishes forecasts without acting; ForecastAndScale acts on them. */
    readonly predictiveMode: "ForecastOnly" | "ForecastAndScale";
  };
  readonly jobs: {
    /** SST/EventBridge rate expressions, e.g. `"5 minutes"`. */
    readonly sloCalculatorEvery: `${number} minute${"" | "s"}`;
    readonly burnRateEvaluatorEvery: `${number} minute${"" | "s"}`;
    readonly predictedLoadEvery: `${number} minute${"" | "s"}`;
    readonly logRetention: "1 week" | "1 month" | "3 months" | "1 year";
    /** Above this many SLOs the SLO jobs run sharded by service (default 500). */
    readonly shardAbove?: number;
    /** Average SLOs per shard when sharded (default 500). */
    readonly slosPerShard?: number;
  };
  readonly canaries: {
    /** Synthetics schedule, e.g. `rate(5 minutes)`. */
    readonly schedule: string;
    /** Days the artifacts bucket keeps run artifacts before lifecycle expiry. */
    readonly artifactRetentionDays: number;
  };
  /**
   * Which Custom/SLO metrics the jobs publish. Default `minimal`: no metric per objective
   * (per-SLO numbers go to the stage report `reports/stage.json` in the rollup bucket and
   * to the jobs' "slo values" log lines), one `AlertState` per service published only
   * while a tier fires, one silent alarm per service on it; needs `alerts.pager:
   * "evaluator"`. `full`: SLI, Compliance, ErrorBudgetRemaining, BurnRate per window and
   * AlertState per objective, with one burn-rate alarm per tier; the profile for
   * `alerts.pager: "alarms"`. See `MetricsProfile`.
   */
  readonly metrics?: MetricsProfile;
  /** Zero trust between services and at the edge (README "Zero trust"). */
  readonly zeroTrust: ZeroTrustPosture;
  readonly alerts: {
    /**
     * Who notifies the topics of a burn-rate alert: the burn-rate evaluator (state
     * changes only, slower tiers suppressed while a faster one fires, low-traffic guard)
     * or the CloudWatch tier alarms. The other keeps its state visible but stays silent,
     * so one burn never pages twice. Canary alarms always notify; budget-exhausted and
     * no-data are per-objective alarms with `metrics: "full"`, and the evaluator's tickets
     * with `metrics: "minimal"` (`evaluatorNotifiesConditions`). `"alarms"` needs
     * `metrics: "full"`: the minimal profile has no per-objective metric to alarm on.
     */
    readonly pager: "evaluator" | "alarms";
    /** Topic each alarm severity routes to: dev sends pages to the ticket topic. */
    readonly route: Readonly<Record<AlertTopicName, AlertTopicName>>;
    /** E-mail subscribers per topic (confirmed by the recipient after deploy). */
    readonly subscribers: Readonly<Record<AlertTopicName, readonly string[]>>;
  };
}

/**
 * The stage's metrics profile, `minimal` unless the profile says `full`. Refuses
 * `minimal` with `alerts.pager: "alarms"`: minimal publishes no metric per objective,
 * so no CloudWatch alarm could page a burn. Infra, the jobs' environment and `slo
 * doctor` all read the profile through here, so such a stage fails before deploying.
 *
 * @example
 * metricsProfile({ ...profile, metrics: undefined }); // "minimal"
 * metricsProfile({ ...profile, alerts: { ...profile.alerts, pager: "alarms" } }); // throws StageConfigError
 */
export function metricsProfile(
  profile: Pick<StageProfile, "name" | "metrics" | "alerts">,
): MetricsProfile {
  const metrics = profile.metrics ?? "minimal";
  if (metrics === "minimal" && profile.alerts.pager === "alarms") {
    throw new StageConfigError(
      `stacks/${profile.name}.ts: alerts.pager "alarms" needs metrics "full" (the default metrics "minimal" publishes no metric per SLO objective for CloudWatch alarms to page on): set metrics: "full" in the profile, or set alerts.pager: "evaluator"`,
    );
  }
  return metrics;
}

/**
 * How a stage secures calls. Every stage admits a service's traffic only from the ALB
 * and its declared callers' security groups (free); the paid layers are per stage.
 */
export interface ZeroTrustPosture {
  /**
   * Service Connect TLS with certificates from a short-lived-mode AWS Private CA:
   * every call between services encrypted (TLS 1.3) and the server authenticated.
   */
  readonly serviceConnectTls: boolean;
  /**
   * `lattice-iam`: each service is also a VPC Lattice service with `AWS_IAM` auth; a
   * caller signs with its task role (SigV4) and the auth policy admits declared callers
   * only. `security-groups`: caller identity is the caller's security group alone.
   */
  readonly callerAuth: "lattice-iam" | "security-groups";
  /** ECS Exec (a shell into running tasks); off where the data is real. */
  readonly ecsExec: boolean;
  /**
   * Public name of the ALB: HTTPS on 443 with an ACM certificate (TLS 1.3 policy) and
   * HTTP redirected to it. Unset: plain HTTP on 80 (no certificate without a name).
   */
  readonly domain?: string;
  /** An existing ACM certificate for `domain`; unset: SST issues one validated in Route 53. */
  readonly certificateArn?: string;
}

/**
 * The edge part of a posture from the environment (`SLO_DOMAIN`, `SLO_CERTIFICATE_ARN`),
 * so a domain is configured per deploy without committing it.
 *
 * @example
 * edgeFromEnv({ SLO_DOMAIN: "slo.example.com" }); // { domain: "slo.example.com" }
 */
export function edgeFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Pick<ZeroTrustPosture, "domain" | "certificateArn"> {
  const domain = env.SLO_DOMAIN?.trim();
  const certificateArn = env.SLO_CERTIFICATE_ARN?.trim();
  if (!domain) {
    if (certificateArn) {
      throw new StageConfigError(
        "SLO_CERTIFICATE_ARN is set but SLO_DOMAIN is not: set SLO_DOMAIN to the name the certificate covers, or unset SLO_CERTIFICATE_ARN",
      );
    }
    return {};
  }
  return { domain, ...(certificateArn ? { certificateArn } : {}) };
}

/**
 * Splits a comma-separated e-mail list from the environment (empty when unset), so
 * subscribers are configured per deploy without committing addresses.
 *
 * @example
 * emailsFromEnv({ SLO_PAGE_EMAILS: "a@x.io, b@x.io" }, "SLO_PAGE_EMAILS"); // ["a@x.io", "b@x.io"]
 */
export function emailsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  key: string,
): string[] {
  const raw = env[key] ?? "";
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
