import { DescribeServicesCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { StageReadError } from "./errors.ts";

/** A service's task counts at one moment. */
export interface TaskCounts {
  readonly running: number;
  readonly desired: number;
  readonly pending: number;
}

/**
 * Reads a service's running, pending and desired task counts (one DescribeServices
 * call), so a load test can show scaling keeping up or lagging.
 *
 * @throws OpsError when the service does not exist in the cluster.
 * @example
 * const { running, desired } = await readTaskCounts(ecs, "slo-production-cluster", "payment-service");
 */
export async function readTaskCounts(
  ecs: ECSClient,
  cluster: string,
  service: string,
): Promise<TaskCounts> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const s = out.services?.[0];
  if (!s) {
    const reason = out.failures?.[0]?.reason ?? "not returned";
    throw new StageReadError(
      `service ${service} in cluster ${cluster}: ${reason} (check --service and --cluster, the stage's "cluster" output)`,
    );
  }
  return {
    running: s.runningCount ?? 0,
    desired: s.desiredCount ?? 0,
    pending: s.pendingCount ?? 0,
  };
}
