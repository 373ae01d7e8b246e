import {
  type ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  RegisterScalableTargetCommand,
  type SuspendedState,
} from "@aws-sdk/client-application-auto-scaling";
import { callAws } from "../budget.ts";
import { ScalingOpError } from "./errors.ts";

/*
 * What suspending covers. "Suspend and resume scaling for Application Auto Scaling"
 * (Application Auto Scaling User Guide) and the "SuspendedState" API reference page list
 * exactly three activities: scale-in triggered by a target tracking or step scaling
 * policy (DynamicScalingInSuspended), scale-out triggered by such a policy
 * (DynamicScalingOutSuspended), and scaling by scheduled actions
 * (ScheduledScalingSuspended). Neither page mentions predictive scaling policies
 * (PolicyType PredictiveScaling, which this platform feeds with observed ALB load), so we do
 * not count them as scheduled actions nor assume a suspension stops them: `describeScaling`
 * lists predictive policies in ForecastAndScale mode so the on-call engineer sees what may
 * still move capacity (switch such a policy to ForecastOnly to stop it).
 */

/** Which scaling activities are suspended. */
export interface SuspendedFlags {
  /** Scale-in by target tracking / step policies (DynamicScalingInSuspended). */
  readonly scaleIn: boolean;
  /** Scale-out by target tracking / step policies (DynamicScalingOutSuspended). */
  readonly scaleOut: boolean;
  /** Scheduled actions (ScheduledScalingSuspended). */
  readonly scheduled: boolean;
}

/** The activities a suspend or resume names; none named means the default for the action. */
export interface ScalingChange {
  readonly scaleIn?: boolean;
  readonly scaleOut?: boolean;
  readonly scheduled?: boolean;
}

export interface ScalingTargetOptions {
  readonly client: ApplicationAutoScalingClient;
  /** Cluster name or ARN. */
  readonly cluster: string;
  readonly service: string;
  readonly signal?: AbortSignal;
}

export interface ScalingPolicySummary {
  readonly name: string;
  /** TargetTrackingScaling, StepScaling or PredictiveScaling. */
  readonly type: string;
  /** Predictive policies only: ForecastOnly or ForecastAndScale. */
  readonly predictiveMode?: string;
}

/** A service's scalable target as Application Auto Scaling reports it. */
export interface ScalingStatus {
  readonly resourceId: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Capacity the predictive policy forecasts for now, when one exists. */
  readonly predictedCapacity?: number;
  readonly suspended: SuspendedFlags;
  readonly policies: readonly ScalingPolicySummary[];
}

/** What a suspend or resume changed. */
export interface ScalingChangeResult {
  readonly resourceId: string;
  readonly before: SuspendedFlags;
  readonly after: SuspendedFlags;
  /** False when the target was already in the asked state (no write was made). */
  readonly changed: boolean;
  /** The target's policies, to warn about predictive ones a suspension may not stop. */
  readonly policies: readonly ScalingPolicySummary[];
}

const NAMESPACE = "ecs";
const DIMENSION = "ecs:service:DesiredCount";

const lastSegment = (s: string) => s.split("/").pop() as string;

/**
 * The Application Auto Scaling resource id of an ECS service: `service/<cluster>/<service>`
 * (names, not ARNs).
 *
 * @example
 * ecsResourceId("fleet", "order-service"); // "service/fleet/order-service"
 */
export function ecsResourceId(cluster: string, service: string): string {
  return `service/${lastSegment(cluster)}/${lastSegment(service)}`;
}

/**
 * The suspended state after an action. Suspend sets the named activities (scale-in only
 * when none is named: during an incident capacity must still be able to grow) and keeps
 * the others as they were; resume clears the named ones, or all when none is named.
 *
 * @example
 * nextSuspendedState({ scaleIn: false, scaleOut: false, scheduled: true }, "suspend", {});
 * // { scaleIn: true, scaleOut: false, scheduled: true }
 */
export function nextSuspendedState(
  current: SuspendedFlags,
  action: "suspend" | "resume",
  change: ScalingChange,
): SuspendedFlags {
  const named = change.scaleIn || change.scaleOut || change.scheduled;
  if (action === "suspend") {
    const pick = named ? change : { scaleIn: true };
    return {
      scaleIn: current.scaleIn || pick.scaleIn === true,
      scaleOut: current.scaleOut || pick.scaleOut === true,
      scheduled: current.scheduled || pick.scheduled === true,
    };
  }
  if (!named) return { scaleIn: false, scaleOut: false, scheduled: false };
  return {
    scaleIn: current.scaleIn && change.scaleIn !== true,
    scaleOut: current.scaleOut && change.scaleOut !== true,
    scheduled: current.scheduled && change.scheduled !== true,
  };
}

function flagsOf(s: SuspendedState | undefined): SuspendedFlags {
  return {
    scaleIn: s?.DynamicScalingInSuspended === true,
    scaleOut: s?.DynamicScalingOutSuspended === true,
    scheduled: s?.ScheduledScalingSuspended === true,
  };
}

/**
 * Reads a service's scalable target (min/max, suspended state) and its scaling policies.
 *
 * @throws ScalingOpError when the service has no scalable target.
 * @example
 * const s = await describeScaling({ client: createAutoScalingClient(), cluster: "fleet", service: "order-service" });
 * s.suspended.scaleIn; // true while scale-in is suspended
 */
export async function describeScaling(opts: ScalingTargetOptions): Promise<ScalingStatus> {
  const { client, signal } = opts;
  const resourceId = ecsResourceId(opts.cluster, opts.service);
  const targets = await callAws(
    "application-autoscaling:DescribeScalableTargets",
    () =>
      client.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: NAMESPACE,
          ScalableDimension: DIMENSION,
          ResourceIds: [resourceId],
        }),
        { abortSignal: signal },
      ),
    signal,
  );
  const target = targets.ScalableTargets?.find((t) => t.ResourceId === resourceId);
  if (!target) {
    throw new ScalingOpError(
      `${resourceId} is not registered with Application Auto Scaling (${DIMENSION}); check --service and --cluster, or deploy the service's scaling configuration first`,
    );
  }
  const policies: ScalingPolicySummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws(
      "application-autoscaling:DescribeScalingPolicies",
      () =>
        client.send(
          new DescribeScalingPoliciesCommand({
            ServiceNamespace: NAMESPACE,
            ScalableDimension: DIMENSION,
            ResourceId: resourceId,
            NextToken: nextToken,
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    for (const p of page.ScalingPolicies ?? []) {
      const mode = p.PredictiveScalingPolicyConfiguration?.Mode;
      policies.push({
        name: p.PolicyName ?? "(unnamed)",
        type: p.PolicyType ?? "(unknown)",
        ...(p.PolicyType === "PredictiveScaling" ? { predictiveMode: mode ?? "ForecastOnly" } : {}),
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return {
    resourceId,
    minCapacity: target.MinCapacity ?? 0,
    maxCapacity: target.MaxCapacity ?? 0,
    ...(target.PredictedCapacity !== undefined
      ? { predictedCapacity: target.PredictedCapacity }
      : {}),
    suspended: flagsOf(target.SuspendedState),
    policies,
  };
}

async function change(
  opts: ScalingTargetOptions & ScalingChange,
  action: "suspend" | "resume",
): Promise<ScalingChangeResult> {
  const { client, signal } = opts;
  const status = await describeScaling(opts);
  const before = status.suspended;
  const after = nextSuspendedState(before, action, opts);
  const changed =
    before.scaleIn !== after.scaleIn ||
    before.scaleOut !== after.scaleOut ||
    before.scheduled !== after.scheduled;
  if (changed) {
    // Re-registering an existing target without Min/MaxCapacity keeps them; all three
    // flags are sent so the result does not depend on how omitted ones are treated.
    await callAws(
      "application-autoscaling:RegisterScalableTarget",
      () =>
        client.send(
          new RegisterScalableTargetCommand({
            ServiceNamespace: NAMESPACE,
            ScalableDimension: DIMENSION,
            ResourceId: status.resourceId,
            SuspendedState: {
              DynamicScalingInSuspended: after.scaleIn,
              DynamicScalingOutSuspended: after.scaleOut,
              ScheduledScalingSuspended: after.scheduled,
            },
          }),
          { abortSignal: signal },
        ),
      signal,
    );
  }
  return { resourceId: status.resourceId, before, after, changed, policies: status.policies };
}

/**
 * Suspends scaling activities of a service (default: scale-in only, so capacity can still
 * grow during an incident); activities already suspended stay suspended.
 *
 * @throws ScalingOpError when the service has no scalable target.
 * @example
 * await suspendScaling({ client, cluster: "fleet", service: "order-service" }); // scale-in
 * await suspendScaling({ client, cluster: "fleet", service: "order-service", scaleOut: true, scheduled: true });
 */
export function suspendScaling(
  opts: ScalingTargetOptions & ScalingChange,
): Promise<ScalingChangeResult> {
  return change(opts, "suspend");
}

/**
 * Resumes the named scaling activities of a service, or all of them when none is named.
 *
 * @throws ScalingOpError when the service has no scalable target.
 * @example
 * await resumeScaling({ client, cluster: "fleet", service: "order-service" }); // everything
 */
export function resumeScaling(
  opts: ScalingTargetOptions & ScalingChange,
): Promise<ScalingChangeResult> {
  return change(opts, "resume");
}
