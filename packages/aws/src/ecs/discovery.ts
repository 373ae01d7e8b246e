import { DescribeServicesCommand, type ECSClient, ListServicesCommand } from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { callAws } from "../budget.ts";
import { DiscoveryError } from "../errors.ts";
import { loadBalancerDimension, targetGroupDimension } from "./arn.ts";

/** How CloudWatch names one ECS service's ALB target group. */
export interface TargetGroupBinding {
  readonly targetGroupArn: string;
  /** `targetgroup/<name>/<id>`: the ALB metrics' `TargetGroup` dimension. */
  readonly targetGroup: string;
  readonly loadBalancerArn: string;
  /** `app/<name>/<id>`: the ALB metrics' `LoadBalancer` dimension. */
  readonly loadBalancer: string;
}

/** One ECS service as discovery sees it. */
export interface DiscoveredService {
  readonly serviceName: string;
  readonly serviceArn: string;
  readonly clusterName: string;
  readonly targetGroups: readonly TargetGroupBinding[];
}

export interface EcsDiscoveryOptions {
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** Cluster name or ARN (`ECS_CLUSTER_NAME`). */
  readonly cluster: string;
  readonly signal?: AbortSignal;
}

/** DescribeServices accepts at most 10 services per call. */
export const DESCRIBE_SERVICES_BATCH = 10;
/** DescribeTargetGroups: ARNs per call (keeps each request small and under any list cap). */
export const DESCRIBE_TARGET_GROUPS_BATCH = 20;

/**
 * Maps ECS service names to the CloudWatch dimensions of their ALB target groups.
 * Lists the cluster once per instance (cache per run: build one per invocation) with
 * ListServices (paginated), DescribeServices (10 per call) and, for the load balancer of
 * each target group, ELBv2 DescribeTargetGroups.
 *
 * @example
 * const discovery = new EcsDiscovery({ ecs, elbv2, cluster: "fleet" });
 * const svc = await discovery.service("order-service");
 * svc.targetGroups[0]?.targetGroup; // "targetgroup/order-service/0f1e..."
 */
export class EcsDiscovery {
  readonly cluster: string;
  readonly clusterName: string;
  readonly #opts: EcsDiscoveryOptions;
  #services: Promise<ReadonlyMap<string, DiscoveredService>> | undefined;

  constructor(opts: EcsDiscoveryOptions) {
    this.#opts = opts;
    this.cluster = opts.cluster;
    this.clusterName = opts.cluster.includes("/")
      ? (opts.cluster.split("/").pop() as string)
      : opts.cluster;
  }

  /** All services of the cluster by name (one discovery per instance). */
  services(): Promise<ReadonlyMap<string, DiscoveredService>> {
    this.#services ??= this.#discover();
    // A failed discovery must not be cached: the next call (next run) retries.
    this.#services.catch(() => {
      this.#services = undefined;
    });
    return this.#services;
  }

  /** One service by name; `DiscoveryError` listing the known names when it is absent. */
  async service(name: string): Promise<DiscoveredService> {
    const all = await this.services();
    const svc = all.get(name);
    if (!svc) {
      const known = [...all.keys()].sort().join(", ") || "(none)";
      throw new DiscoveryError(
        `ECS service "${name}" is not in cluster "${this.clusterName}"; services found: ${known}. Set the SLO's Service dimension to one of them or check ECS_CLUSTER_NAME`,
      );
    }
    return svc;
  }

  async #discover(): Promise<ReadonlyMap<string, DiscoveredService>> {
    const { ecs, elbv2, cluster, signal } = this.#opts;
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws(
        "ecs:ListServices",
        () =>
          ecs.send(new ListServicesCommand({ cluster, maxResults: 100, nextToken }), {
            abortSignal: signal,
          }),
        signal,
      );
      arns.push(...(page.serviceArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);

    const raw: Array<{ name: string; arn: string; tgArns: string[] }> = [];
    for (let i = 0; i < arns.length; i += DESCRIBE_SERVICES_BATCH) {
      const batch = arns.slice(i, i + DESCRIBE_SERVICES_BATCH);
      const out = await callAws(
        "ecs:DescribeServices",
        () =>
          ecs.send(new DescribeServicesCommand({ cluster, services: batch }), {
            abortSignal: signal,
          }),
        signal,
      );
      for (const f of out.failures ?? []) {
        throw new DiscoveryError(
          `ecs:DescribeServices could not describe ${f.arn ?? "a service"} in cluster "${this.clusterName}": ${f.reason ?? "unknown reason"}${f.detail ? ` (${f.detail})` : ""}`,
        );
      }
      for (const s of out.services ?? []) {
        if (!s.serviceName || !s.serviceArn) continue;
        const tgArns = (s.loadBalancers ?? [])
          .map((lb) => lb.targetGroupArn)
          .filter((a): a is string => typeof a === "string");
        raw.push({ name: s.serviceName, arn: s.serviceArn, tgArns: [...new Set(tgArns)] });
      }
    }

    const allTg = [...new Set(raw.flatMap((r) => r.tgArns))];
    const lbOfTg = new Map<string, string>();
    for (let i = 0; i < allTg.length; i += DESCRIBE_TARGET_GROUPS_BATCH) {
      const batch = allTg.slice(i, i + DESCRIBE_TARGET_GROUPS_BATCH);
      let marker: string | undefined;
      do {
        const out = await callAws(
          "elasticloadbalancing:DescribeTargetGroups",
          () =>
            elbv2.send(
              new DescribeTargetGroupsCommand({ TargetGroupArns: batch, Marker: marker }),
              {
                abortSignal: signal,
              },
            ),
          signal,
        );
        for (const tg of out.TargetGroups ?? []) {
          const lb = tg.LoadBalancerArns?.[0];
          if (tg.TargetGroupArn && lb) lbOfTg.set(tg.TargetGroupArn, lb);
        }
        marker = out.NextMarker;
      } while (marker);
    }

    const result = new Map<string, DiscoveredService>();
    for (const r of raw) {
      const targetGroups: TargetGroupBinding[] = [];
      for (const tgArn of r.tgArns) {
        const lbArn = lbOfTg.get(tgArn);
        // A target group not attached to a load balancer emits no ALB metrics: skip it.
        if (!lbArn) continue;
        targetGroups.push({
          targetGroupArn: tgArn,
          targetGroup: targetGroupDimension(tgArn),
          loadBalancerArn: lbArn,
          loadBalancer: loadBalancerDimension(lbArn),
        });
      }
      result.set(r.name, {
        serviceName: r.name,
        serviceArn: r.arn,
        clusterName: this.clusterName,
        targetGroups,
      });
    }
    return result;
  }
}
