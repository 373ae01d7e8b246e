import { resolve } from "node:path";
import { createAutoScalingClient } from "@slo/aws";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { recordIo } from "../testing/record-io.ts";
import { runWith } from "./scaling.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");
const RID = "service/fleet/order-service";

const recorder = () => recordIo(ROOT);

/** A real Application Auto Scaling client answering from an in-memory scalable target. */
function fakeAutoScaling(suspended: Record<string, boolean>, predictiveMode?: string) {
  const client = createAutoScalingClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
  });
  let state = { ...suspended };
  const registered: Array<Record<string, unknown>> = [];
  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeScalableTargetsCommand: () => ({
      ScalableTargets: [
        { ResourceId: RID, MinCapacity: 2, MaxCapacity: 20, SuspendedState: state },
      ],
    }),
    DescribeScalingPoliciesCommand: () => ({
      ScalingPolicies: [
        { PolicyName: "cpu", PolicyType: "TargetTrackingScaling" },
        ...(predictiveMode
          ? [
              {
                PolicyName: "predicted-load",
                PolicyType: "PredictiveScaling",
                PredictiveScalingPolicyConfiguration: { Mode: predictiveMode },
              },
            ]
          : []),
      ],
    }),
    RegisterScalableTargetCommand: (input) => {
      registered.push(input);
      state = input.SuspendedState as Record<string, boolean>;
      return {};
    },
  };
  client.send = (async (command: {
    constructor: { name: string };
    input: Record<string, unknown>;
  }) => {
    const handler = handlers[command.constructor.name];
    if (!handler) throw new Error(`unexpected ${command.constructor.name}`);
    return handler(command.input);
  }) as unknown as typeof client.send;
  return { client, registered };
}

const ARGS = ["--service", "order-service", "--cluster", "fleet"];

describe("slo scaling usage", () => {
  it("explains bad usage and exits 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["scaling"], /name the action: one of suspend, resume, status/],
      [["scaling", "pause", ...ARGS], /\(got "pause"\)/],
      [["scaling", "suspend", "--cluster", "fleet"], /--service is required/],
      [["scaling", "suspend", "--service", "order-service"], /--cluster is required/],
      [["scaling", "status", ...ARGS, "--scale-in"], /apply to suspend and resume/],
      [["scaling", "suspend", ...ARGS, "--scale-up"], /Unknown option '--scale-up'/],
      [["scaling", "suspend", "resume", ...ARGS], /unexpected argument "resume"/],
    ];
    for (const [args, message] of cases) {
      const r = recorder();
      expect(await runCli(args, r.io)).toBe(2);
      expect(r.err()).toMatch(/^slo scaling: /);
      expect(r.err()).toMatch(message);
    }
  });
});

describe("slo scaling against a mocked Application Auto Scaling", () => {
  it("suspend without flags suspends scale-in only and warns about live predictive scaling", async () => {
    const fake = fakeAutoScaling({}, "ForecastAndScale");
    const r = recorder();
    expect(await runWith(["suspend", ...ARGS], r.io, { autoScaling: fake.client })).toBe(0);
    expect(fake.registered).toEqual([
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
    expect(r.out()).toMatch(
      /^service\/fleet\/order-service: scale-in SUSPENDED, scale-out active, scheduled active \(was scale-in active/,
    );
    expect(r.out()).toMatch(/note: predictive policy predicted-load runs in ForecastAndScale/);
  });

  it("suspend with flags, then resume everything, then status as JSON", async () => {
    const fake = fakeAutoScaling({}, "ForecastOnly");
    const io = recorder().io;
    await runWith(["suspend", ...ARGS, "--scale-out", "--scheduled"], io, {
      autoScaling: fake.client,
    });
    await runWith(["resume", ...ARGS], io, { autoScaling: fake.client });
    expect(fake.registered.map((i) => i.SuspendedState)).toEqual([
      {
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: true,
        ScheduledScalingSuspended: true,
      },
      {
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: false,
      },
    ]);
    const r = recorder();
    expect(await runWith(["status", ...ARGS, "--json"], r.io, { autoScaling: fake.client })).toBe(
      0,
    );
    expect(JSON.parse(r.out())).toEqual({
      action: "status",
      resourceId: RID,
      minCapacity: 2,
      maxCapacity: 20,
      suspended: { scaleIn: false, scaleOut: false, scheduled: false },
      policies: [
        { name: "cpu", type: "TargetTrackingScaling" },
        { name: "predicted-load", type: "PredictiveScaling", predictiveMode: "ForecastOnly" },
      ],
    });
  });

  it("status prints capacity, suspended state and policies", async () => {
    const fake = fakeAutoScaling({ DynamicScalingInSuspended: true });
    const r = recorder();
    expect(await runWith(["status", ...ARGS], r.io, { autoScaling: fake.client })).toBe(0);
    expect(r.out()).toBe(
      [
        RID,
        "  capacity   min 2, max 20",
        "  suspended  scale-in SUSPENDED, scale-out active, scheduled active",
        "  policies   cpu (TargetTrackingScaling)",
        "",
      ].join("\n"),
    );
    expect(fake.registered).toEqual([]);
  });
});
