import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { ScalingOpError } from "./errors.ts";
import {
  describeScaling,
  ecsResourceId,
  nextSuspendedState,
  resumeScaling,
  type SuspendedFlags,
  suspendScaling,
} from "./scaling.ts";

const aasMock = mockClient(ApplicationAutoScalingClient);
const client = new ApplicationAutoScalingClient({ region: "eu-west-1" });
const RID = "service/fleet/order-service";
const base = { client, cluster: "fleet", service: "order-service" };

function target(suspended: Partial<Record<string, boolean>> = {}) {
  aasMock.on(DescribeScalableTargetsCommand).resolves({
    ScalableTargets: [
      {
        ServiceNamespace: "ecs",
        ResourceId: RID,
        ScalableDimension: "ecs:service:DesiredCount",
        MinCapacity: 2,
        MaxCapacity: 20,
        PredictedCapacity: 6,
        RoleARN: "arn:aws:iam::111122223333:role/aas",
        CreationTime: new Date(0),
        SuspendedState: suspended,
      },
    ],
  });
  aasMock.on(DescribeScalingPoliciesCommand).resolves({ ScalingPolicies: [] });
  aasMock.on(RegisterScalableTargetCommand).resolves({});
}

const registered = () =>
  aasMock.commandCalls(RegisterScalableTargetCommand).map((c) => c.args[0].input);

beforeEach(() => {
  aasMock.reset();
});

describe("ecsResourceId", () => {
  it("uses names even when given ARNs", () => {
    expect(ecsResourceId("fleet", "order-service")).toBe(RID);
    expect(
      ecsResourceId(
        "arn:aws:ecs:eu-west-1:111122223333:cluster/fleet",
        "arn:aws:ecs:eu-west-1:111122223333:service/fleet/order-service",
      ),
    ).toBe(RID);
  });
});

describe("nextSuspendedState", () => {
  const flags = fc.record({
    scaleIn: fc.boolean(),
    scaleOut: fc.boolean(),
    scheduled: fc.boolean(),
  });
  const change = fc.record(
    { scaleIn: fc.boolean(), scaleOut: fc.boolean(), scheduled: fc.boolean() },
    { requiredKeys: [] },
  );
  const keys = ["scaleIn", "scaleOut", "scheduled"] as const;

  it("property: suspend only adds, resume only removes, named activities end as asked", () => {
    fc.assert(
      fc.property(flags, change, (cur: SuspendedFlags, ch) => {
        const named = keys.filter((k) => ch[k] === true);
        const s = nextSuspendedState(cur, "suspend", ch);
        const r = nextSuspendedState(cur, "resume", ch);
        for (const k of keys) {
          if (cur[k]) expect(s[k]).toBe(true);
          if (!cur[k]) expect(r[k]).toBe(false);
          if (named.includes(k)) {
            expect(s[k]).toBe(true);
            expect(r[k]).toBe(false);
          } else if (named.length > 0) {
            expect(s[k]).toBe(cur[k]);
            expect(r[k]).toBe(cur[k]);
          }
        }
        if (named.length === 0) {
          expect(s).toEqual({ ...cur, scaleIn: true });
          expect(r).toEqual({ scaleIn: false, scaleOut: false, scheduled: false });
        }
      }),
    );
  });
});

describe("suspendScaling / resumeScaling", () => {
  it("suspends scale-in only by default, on the service's DesiredCount target", async () => {
    target();
    const result = await suspendScaling(base);
    expect(registered()).toEqual([
      {
        ServiceNamespace: "ecs",
        ScalableDimension: "ecs:service:DesiredCount",
        ResourceId: RID,
        SuspendedState: {
          DynamicScalingInSuspended: true,
          DynamicScalingOutSuspended: false,
          ScheduledScalingSuspended: false,
        },
      },
    ]);
    expect(result).toMatchObject({ resourceId: RID, changed: true, after: { scaleIn: true } });
    expect(aasMock.commandCalls(DescribeScalableTargetsCommand)[0]?.args[0].input).toEqual({
      ServiceNamespace: "ecs",
      ScalableDimension: "ecs:service:DesiredCount",
      ResourceIds: [RID],
    });
  });

  it("suspends the named activities and keeps what was already suspended", async () => {
    target({ ScheduledScalingSuspended: true });
    await suspendScaling({ ...base, scaleOut: true });
    expect(registered()[0]?.SuspendedState).toEqual({
      DynamicScalingInSuspended: false,
      DynamicScalingOutSuspended: true,
      ScheduledScalingSuspended: true,
    });
  });

  it("resumes everything by default, or only the named activities", async () => {
    target({ DynamicScalingInSuspended: true, ScheduledScalingSuspended: true });
    await resumeScaling(base);
    await resumeScaling({ ...base, scheduled: true });
    expect(registered().map((i) => i.SuspendedState)).toEqual([
      {
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: false,
      },
      {
        DynamicScalingInSuspended: true,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: false,
      },
    ]);
  });

  it("makes no write when the target is already in the asked state", async () => {
    target({ DynamicScalingInSuspended: true });
    const result = await suspendScaling(base);
    expect(result.changed).toBe(false);
    expect(registered()).toEqual([]);
  });

  it("explains a service without a scalable target and never registers one", async () => {
    aasMock.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    const err = await suspendScaling(base).catch((e) => e);
    expect(err).toBeInstanceOf(ScalingOpError);
    expect(err.message).toMatch(
      /service\/fleet\/order-service is not registered with Application Auto Scaling/,
    );
    expect(registered()).toEqual([]);
  });

  it("reports a throttled RegisterScalableTarget as an AwsCallError naming the operation", async () => {
    target();
    aasMock
      .on(RegisterScalableTargetCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    await expect(suspendScaling(base)).rejects.toThrow(
      /application-autoscaling:RegisterScalableTarget failed: ThrottlingException: Rate exceeded/,
    );
  });
});

describe("describeScaling", () => {
  it("shows min/max, suspended state and the policies over every page", async () => {
    target({ DynamicScalingOutSuspended: true });
    aasMock
      .on(DescribeScalingPoliciesCommand)
      .resolvesOnce({
        ScalingPolicies: [
          {
            PolicyARN: "arn:p1",
            PolicyName: "cpu",
            ServiceNamespace: "ecs",
            ResourceId: RID,
            ScalableDimension: "ecs:service:DesiredCount",
            PolicyType: "TargetTrackingScaling",
            CreationTime: new Date(0),
          },
        ],
        NextToken: "p2",
      })
      .resolves({
        ScalingPolicies: [
          {
            PolicyARN: "arn:p2",
            PolicyName: "predicted-load",
            ServiceNamespace: "ecs",
            ResourceId: RID,
            ScalableDimension: "ecs:service:DesiredCount",
            PolicyType: "PredictiveScaling",
            PredictiveScalingPolicyConfiguration: {
              MetricSpecifications: [],
              Mode: "ForecastAndScale",
            },
            CreationTime: new Date(0),
          },
        ],
      });
    const status = await describeScaling(base);
    expect(status).toEqual({
      resourceId: RID,
      minCapacity: 2,
      maxCapacity: 20,
      predictedCapacity: 6,
      suspended: { scaleIn: false, scaleOut: true, scheduled: false },
      policies: [
        { name: "cpu", type: "TargetTrackingScaling" },
        { name: "predicted-load", type: "PredictiveScaling", predictiveMode: "ForecastAndScale" },
      ],
    });
    expect(
      aasMock.commandCalls(DescribeScalingPoliciesCommand).map((c) => c.args[0].input.NextToken),
    ).toEqual([undefined, "p2"]);
  });
});
