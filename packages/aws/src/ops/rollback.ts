import {
  type Deployment,
  DescribeServicesCommand,
  type ECSClient,
  ListTaskDefinitionsCommand,
  type Service,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { callAws } from "../budget.ts";
import { RollbackError, RollbackTimeoutError } from "./errors.ts";
import { chooseRollbackTarget, parseTaskDefinitionArn } from "./rollback-target.ts";

export { chooseRollbackTarget, parseTaskDefinitionArn } from "./rollback-target.ts";

/** What a deployment of the service looked like when it was read. */
export interface DeploymentSummary {
  readonly id: string;
  /** PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE. */
  readonly status: string;
  readonly taskDefinition: string;
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly runningCount: number;
  readonly desiredCount: number;
}

/** A rollback decided but not yet applied (what `--dry-run` prints). */
export interface RollbackPlan {
  readonly cluster: string;
  readonly service: string;
  /** Task definition ARN the service runs now. */
  readonly current: string;
  /** Task definition ARN it will run after the rollback. */
  readonly target: string;
  /** Set when a deployment was IN_PROGRESS and the plan was forced over it. */
  readonly inProgressDeployment?: DeploymentSummary;
}

export interface PlanRollbackOptions {
  readonly ecs: ECSClient;
  /** Cluster name or ARN. */
  readonly cluster: string;
  readonly service: string;
  /** Roll back to this revision of the same family instead of the previous one. */
  readonly to?: number;
  /** Plan even while a deployment is IN_PROGRESS (rolling back a deploy that is going wrong). */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/** ListTaskDefinitions returns at most 100 ARNs per page. */
const LIST_PAGE_SIZE = 100;

function summarise(d: Deployment): DeploymentSummary {
  return {
    id: d.id ?? "(unknown)",
    status: d.status ?? "(unknown)",
    taskDefinition: d.taskDefinition ?? "(unknown)",
    ...(d.rolloutState !== undefined ? { rolloutState: d.rolloutState } : {}),
    ...(d.rolloutStateReason !== undefined ? { rolloutStateReason: d.rolloutStateReason } : {}),
    runningCount: d.runningCount ?? 0,
    desiredCount: d.desiredCount ?? 0,
  };
}

function shortTaskDefinition(arn: string): string {
  return arn.includes("task-definition/") ? (arn.split("task-definition/").pop() as string) : arn;
}

async function describeService(
  ecs: ECSClient,
  cluster: string,
  service: string,
  signal: AbortSignal | undefined,
): Promise<Service> {
  const out = await callAws(
    "ecs:DescribeServices",
    () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), {
        abortSignal: signal,
      }),
    signal,
  );
  const found = out.services?.find((s) => s.serviceName === service || s.serviceArn === service);
  if (!found || found.status === "INACTIVE") {
    const reason = out.failures?.[0]?.reason ?? (found ? "INACTIVE" : "not returned");
    throw new RollbackError(
      `ECS service "${service}" is not in cluster "${cluster}" (${reason}); check --service and --cluster (aws ecs list-services --cluster ${cluster})`,
    );
  }
  return found;
}

/**
 * Reads the service and its family's ACTIVE revisions and decides what to roll back to.
 * Refuses while a deployment is IN_PROGRESS unless `force`: two deployments racing
 * leave the service running whichever finished last.
 *
 * @throws RollbackError (service missing, deployment in progress, no older revision...).
 * @example
 * const plan = await planRollback({ ecs: createEcsClient(), cluster: "fleet", service: "order-service" });
 * console.log(`${plan.current} -> ${plan.target}`);
 */
export async function planRollback(opts: PlanRollbackOptions): Promise<RollbackPlan> {
  const { ecs, cluster, service, signal } = opts;
  const svc = await describeService(ecs, cluster, service, signal);
  if (!svc.taskDefinition) {
    throw new RollbackError(
      `ECS service "${service}" reports no task definition; nothing to roll back`,
    );
  }
  const current = svc.taskDefinition;
  const inProgress = (svc.deployments ?? []).find((d) => d.rolloutState === "IN_PROGRESS");
  if (inProgress && !opts.force) {
    const d = summarise(inProgress);
    throw new RollbackError(
      `ECS service "${service}" has a deployment in progress (${d.id} to ${shortTaskDefinition(d.taskDefinition)}, ${d.runningCount}/${d.desiredCount} tasks running); wait for it to finish, or force the rollback over it (slo rollback --force)`,
    );
  }
  const { family, revision } = parseTaskDefinitionArn(current, "current task definition");
  const listed: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws(
      "ecs:ListTaskDefinitions",
      () =>
        ecs.send(
          new ListTaskDefinitionsCommand({
            familyPrefix: family,
            status: "ACTIVE",
            sort: "DESC",
            maxResults: LIST_PAGE_SIZE,
            nextToken,
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    const arns = page.taskDefinitionArns ?? [];
    listed.push(...arns);
    nextToken = page.nextToken;
    // Newest first: once a page reaches a revision at or below the one wanted, every
    // candidate has been seen and the family's older history need not be read.
    const floor = opts.to ?? revision - 1;
    const reached = arns.some((a) => {
      const p = parseTaskDefinitionArn(a, "listed task definition");
      return p.family === family && p.revision <= floor;
    });
    if (reached) break;
  } while (nextToken);
  const target = chooseRollbackTarget(current, listed, opts.to);
  return {
    cluster,
    service,
    current,
    target,
    ...(inProgress ? { inProgressDeployment: summarise(inProgress) } : {}),
  };
}

export interface ExecuteRollbackOptions {
  readonly ecs: ECSClient;
  /** Wait up to this long for the rollout to reach COMPLETED; 0 or absent: do not wait. */
  readonly waitMs?: number;
  /** Delay between DescribeServices polls (default 15 s, the ECS waiter's interval). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  /** Clock and sleep, injectable so tests run the wait without real time. */
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What a rollback did. */
export interface RollbackResult {
  readonly cluster: string;
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly deploymentId?: string;
  /** COMPLETED after a successful wait; STARTED when it did not wait. */
  readonly outcome: "COMPLETED" | "STARTED";
  readonly waitedMs: number;
}

export const DEFAULT_POLL_MS = 15_000;

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Applies a plan with UpdateService and, when `waitMs` is set, polls DescribeServices
 * until the rollback deployment is PRIMARY with rolloutState COMPLETED.
 *
 * @throws RollbackError when the rollout FAILED (circuit breaker), RollbackTimeoutError
 *   when it is still going after `waitMs` (ECS carries on: the message says how to watch it).
 * @example
 * const result = await executeRollback(plan, { ecs, waitMs: 600_000 });
 * result.outcome; // "COMPLETED"
 */
export async function executeRollback(
  plan: RollbackPlan,
  opts: ExecuteRollbackOptions,
): Promise<RollbackResult> {
  const { ecs, signal } = opts;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const pollMs = Math.max(1, opts.pollMs ?? DEFAULT_POLL_MS);
  const waitMs = opts.waitMs ?? 0;
  const started = now();
  const updated = await callAws(
    "ecs:UpdateService",
    () =>
      ecs.send(
        new UpdateServiceCommand({
          cluster: plan.cluster,
          service: plan.service,
          taskDefinition: plan.target,
        }),
        { abortSignal: signal },
      ),
    signal,
  );
  const deploymentId = updated.service?.deployments?.find(
    (d) => d.status === "PRIMARY" && d.taskDefinition === plan.target,
  )?.id;
  const base = {
    cluster: plan.cluster,
    service: plan.service,
    from: plan.current,
    to: plan.target,
    ...(deploymentId !== undefined ? { deploymentId } : {}),
  };
  if (waitMs <= 0) return { ...base, outcome: "STARTED", waitedMs: 0 };

  const target = shortTaskDefinition(plan.target);
  for (;;) {
    const svc = await describeService(ecs, plan.cluster, plan.service, signal);
    const deployments = svc.deployments ?? [];
    // Track our deployment by id: with the circuit breaker's auto-rollback on, a failed
    // rollback is no longer PRIMARY, so looking only at PRIMARY would wait forever.
    const ours =
      (deploymentId !== undefined ? deployments.find((d) => d.id === deploymentId) : undefined) ??
      deployments.find((d) => d.status === "PRIMARY" && d.taskDefinition === plan.target);
    if (ours?.rolloutState === "FAILED") {
      throw new RollbackError(
        `rollback of "${plan.service}" to ${target} FAILED: ${ours.rolloutStateReason ?? "no reason given"}; check the service events (aws ecs describe-services --cluster ${plan.cluster} --services ${plan.service})`,
      );
    }
    const steady =
      ours?.status === "PRIMARY" &&
      (ours.rolloutState === "COMPLETED" ||
        (ours.rolloutState === undefined &&
          deployments.length === 1 &&
          ours.runningCount === ours.desiredCount));
    if (steady) return { ...base, outcome: "COMPLETED", waitedMs: now() - started };
    const elapsed = now() - started;
    if (elapsed >= waitMs) {
      const state = ours
        ? `${ours.rolloutState ?? "no rollout state"}, ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} tasks running`
        : `PRIMARY runs ${shortTaskDefinition(deployments.find((d) => d.status === "PRIMARY")?.taskDefinition ?? "(none)")}`;
      throw new RollbackTimeoutError(
        `rollback of "${plan.service}" to ${target} not COMPLETED after ${Math.round(elapsed / 1000)} s (${state}); ECS keeps deploying: watch it with aws ecs describe-services --cluster ${plan.cluster} --services ${plan.service}, or wait longer next time`,
      );
    }
    await sleep(Math.min(pollMs, waitMs - elapsed), signal);
  }
}
