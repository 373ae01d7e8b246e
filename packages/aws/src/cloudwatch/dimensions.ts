import type { CloudWatchMetricStat } from "@slo/core/spec";
import type { EcsDiscovery } from "../ecs/discovery.ts";
import { DiscoveryError } from "../errors.ts";

/** Turns the logical dimensions of a definition into the ones CloudWatch stores. */
export interface DimensionResolver {
  resolve(metric: CloudWatchMetricStat): Promise<Readonly<Record<string, string>>>;
}

/** Dimensions are used as written (no logical `Service` mapping). */
export const passThroughDimensions: DimensionResolver = {
  resolve: async (metric) => metric.dimensions,
};

const ECS_NAMESPACES = new Set(["AWS/ECS", "ECS/ContainerInsights"]);

/**
 * Resolves the logical `Service` dimension through ECS discovery:
 * `AWS/ApplicationELB` -> `TargetGroup` + `LoadBalancer` of the service's target group,
 * `AWS/ECS` and `ECS/ContainerInsights` -> `ServiceName` + `ClusterName`. Other namespaces
 * keep `Service` (custom namespaces such as `Custom/SLO` really have that dimension).
 *
 * @example
 * const resolver = new ServiceDimensionResolver(new EcsDiscovery({ ecs, elbv2, cluster: "fleet" }));
 * await resolver.resolve({ kind: "metric", namespace: "AWS/ApplicationELB",
 *   metricName: "RequestCount", dimensions: { Service: "user-service" }, stat: "Sum" });
 * // { TargetGroup: "targetgroup/user-service/...", LoadBalancer: "app/fleet/..." }
 */
export class ServiceDimensionResolver implements DimensionResolver {
  readonly #discovery: EcsDiscovery;
  constructor(discovery: EcsDiscovery) {
    this.#discovery = discovery;
  }

  async resolve(metric: CloudWatchMetricStat): Promise<Readonly<Record<string, string>>> {
    const { Service: service, ...rest } = metric.dimensions;
    if (service === undefined) return metric.dimensions;
    if (metric.namespace === "AWS/ApplicationELB") {
      const svc = await this.#discovery.service(service);
      const [tg, ...more] = svc.targetGroups;
      if (!tg) {
        throw new DiscoveryError(
          `ECS service "${service}" has no target group attached to a load balancer, so ${metric.namespace} ${metric.metricName} has no data for it; attach it to the ALB or give TargetGroup/LoadBalancer dimensions explicitly`,
        );
      }
      if (more.length > 0) {
        throw new DiscoveryError(
          `ECS service "${service}" has ${svc.targetGroups.length} target groups (${svc.targetGroups.map((t) => t.targetGroup).join(", ")}); write TargetGroup and LoadBalancer dimensions in the SLO instead of Service`,
        );
      }
      return { ...rest, TargetGroup: tg.targetGroup, LoadBalancer: tg.loadBalancer };
    }
    if (ECS_NAMESPACES.has(metric.namespace)) {
      const svc = await this.#discovery.service(service);
      return { ...rest, ServiceName: svc.serviceName, ClusterName: svc.clusterName };
    }
    return metric.dimensions;
  }
}
