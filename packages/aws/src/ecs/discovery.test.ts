import { DescribeServicesCommand, ECSClient, ListServicesCommand } from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { ServiceDimensionResolver } from "../cloudwatch/dimensions.ts";
import { DiscoveryError } from "../errors.ts";
import { loadBalancerDimension, targetGroupDimension } from "./arn.ts";
import { EcsDiscovery } from "./discovery.ts";

const ecsMock = mockClient(ECSClient);
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const ACCT = "arn:aws:elasticloadbalancing:eu-west-1:111122223333";
const tgArn = (i: number) => `${ACCT}:targetgroup/svc-${i}/${(1000 + i).toString(16)}abc`;
const LB = `${ACCT}:loadbalancer/app/fleet/50dc6c495c0c9188`;
const svcArn = (i: number) => `arn:aws:ecs:eu-west-1:111122223333:service/fleet/svc-${i}`;

function discovery() {
  return new EcsDiscovery({
    ecs: new ECSClient({ region: "eu-west-1" }),
    elbv2: new ElasticLoadBalancingV2Client({ region: "eu-west-1" }),
    cluster: "fleet",
  });
}

beforeEach(() => {
  ecsMock.reset();
  elbMock.reset();
  // 23 services over three ListServices pages (10, 10, 3).
  ecsMock.on(ListServicesCommand).callsFake((input) => {
    const from = input.nextToken ? Number(input.nextToken) : 0;
    const to = Math.min(23, from + 10);
    return {
      serviceArns: Array.from({ length: to - from }, (_, k) => svcArn(from + k)),
      ...(to < 23 ? { nextToken: String(to) } : {}),
    };
  });
  ecsMock.on(DescribeServicesCommand).callsFake((input) => ({
    services: (input.services ?? []).map((arn: string) => {
      const i = Number(arn.split("-").pop());
      return {
        serviceArn: arn,
        serviceName: `svc-${i}`,
        loadBalancers:
          i === 22 ? [] : [{ targetGroupArn: tgArn(i), containerName: "app", containerPort: 8080 }],
      };
    }),
    failures: [],
  }));
  elbMock.on(DescribeTargetGroupsCommand).callsFake((input) => ({
    TargetGroups: (input.TargetGroupArns ?? []).map((a: string) => ({
      TargetGroupArn: a,
      LoadBalancerArns: [LB],
    })),
  }));
});

describe("EcsDiscovery", () => {
  it("paginates ListServices, describes 10 services per call and caches per instance", async () => {
    const d = discovery();
    const all = await d.services();
    expect(all.size).toBe(23);
    expect(ecsMock.commandCalls(ListServicesCommand)).toHaveLength(3);
    const described = ecsMock
      .commandCalls(DescribeServicesCommand)
      .map((c) => c.args[0].input.services?.length);
    expect(described).toEqual([10, 10, 3]);
    expect(
      elbMock
        .commandCalls(DescribeTargetGroupsCommand)
        .map((c) => c.args[0].input.TargetGroupArns?.length),
    ).toEqual([20, 2]);
    await d.service("svc-3");
    await d.services();
    expect(ecsMock.commandCalls(ListServicesCommand)).toHaveLength(3);
    expect((await d.service("svc-3")).targetGroups[0]).toEqual({
      targetGroupArn: tgArn(3),
      targetGroup: `targetgroup/svc-3/${(1003).toString(16)}abc`,
      loadBalancerArn: LB,
      loadBalancer: "app/fleet/50dc6c495c0c9188",
    });
  });

  it("names the known services when one is missing", async () => {
    await expect(discovery().service("nope")).rejects.toThrow(
      /"nope" is not in cluster "fleet"; services found: svc-0, svc-1/,
    );
  });

  it("reports DescribeServices failures instead of skipping them", async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [], failures: [{ arn: svcArn(0), reason: "MISSING" }] });
    await expect(discovery().services()).rejects.toThrow(DiscoveryError);
  });
});

describe("ServiceDimensionResolver", () => {
  const base = { kind: "metric" as const, stat: "Sum" };
  it("maps Service to TargetGroup + LoadBalancer for ALB metrics and ServiceName + ClusterName for ECS", async () => {
    const r = new ServiceDimensionResolver(discovery());
    await expect(
      r.resolve({
        ...base,
        namespace: "AWS/ApplicationELB",
        metricName: "RequestCount",
        dimensions: { Service: "svc-1" },
      }),
    ).resolves.toEqual({
      TargetGroup: `targetgroup/svc-1/${(1001).toString(16)}abc`,
      LoadBalancer: "app/fleet/50dc6c495c0c9188",
    });
    await expect(
      r.resolve({
        ...base,
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        dimensions: { Service: "svc-1" },
      }),
    ).resolves.toEqual({ ServiceName: "svc-1", ClusterName: "fleet" });
    await expect(
      r.resolve({
        ...base,
        namespace: "Custom/SLO",
        metricName: "SLI",
        dimensions: { Service: "svc-1" },
      }),
    ).resolves.toEqual({ Service: "svc-1" });
  });

  it("explains a service without a load-balanced target group", async () => {
    const r = new ServiceDimensionResolver(discovery());
    await expect(
      r.resolve({
        ...base,
        namespace: "AWS/ApplicationELB",
        metricName: "RequestCount",
        dimensions: { Service: "svc-22" },
      }),
    ).rejects.toThrow(/no target group attached/);
  });
});

describe("ARN suffixes", () => {
  it("extracts the dimension forms CloudWatch uses and rejects other ARNs", () => {
    expect(targetGroupDimension(`${ACCT}:targetgroup/web/73e2d6bc24d8a067`)).toBe(
      "targetgroup/web/73e2d6bc24d8a067",
    );
    expect(loadBalancerDimension(LB)).toBe("app/fleet/50dc6c495c0c9188");
    expect(() => targetGroupDimension(LB)).toThrow(DiscoveryError);
    expect(() => loadBalancerDimension(tgArn(1))).toThrow(/not a load balancer ARN/);
  });
});
