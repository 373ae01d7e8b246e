import { resolve } from "node:path";
import { createEcsClient } from "@slo/aws";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../cli.ts";
import { recordIo } from "../testing/record-io.ts";
import { runWith } from "./rollback.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");
const td = (rev: number) =>
  `arn:aws:ecs:eu-west-1:111122223333:task-definition/order-service:${rev}`;

const recorder = () => recordIo(ROOT);

type Handler = (input: Record<string, unknown>) => unknown;

/** A real ECS client whose `send` answers from `handlers`, keyed by command class name. */
function fakeEcs(handlers: Record<string, Handler>) {
  const ecs = createEcsClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
  });
  const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  ecs.send = (async (command: {
    constructor: { name: string };
    input: Record<string, unknown>;
  }) => {
    const name = command.constructor.name;
    calls.push({ name, input: command.input });
    const handler = handlers[name];
    if (!handler) throw new Error(`unexpected ${name}`);
    return handler(command.input);
  }) as unknown as typeof ecs.send;
  return { ecs, calls, names: () => calls.map((c) => c.name) };
}

const serviceOn = (rev: number, rolloutState = "COMPLETED") => ({
  services: [
    {
      serviceName: "order-service",
      status: "ACTIVE",
      taskDefinition: td(rev),
      deployments: [
        {
          id: "ecs-svc/7",
          status: "PRIMARY",
          taskDefinition: td(rev),
          rolloutState,
          runningCount: 4,
          desiredCount: 4,
        },
      ],
    },
  ],
});

function healthyFleet() {
  let rev = 12;
  return fakeEcs({
    DescribeServicesCommand: () => serviceOn(rev),
    ListTaskDefinitionsCommand: () => ({ taskDefinitionArns: [td(12), td(11), td(9)] }),
    UpdateServiceCommand: (input) => {
      rev = Number(String(input.taskDefinition).split(":").pop());
      return { service: serviceOn(rev, "IN_PROGRESS").services[0] };
    },
  });
}

const ARGS = ["--service", "order-service", "--cluster", "fleet"];

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("slo rollback usage", () => {
  it("explains bad flags and exits 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["rollback"], /--service is required/],
      [["rollback", "--service", "order-service"], /--cluster is required/],
      [["rollback", ...ARGS, "--to", "eleven"], /--to must be a task definition revision number/],
      [["rollback", ...ARGS, "--to", "0"], /--to must be a revision number of 1 or more/],
      [["rollback", ...ARGS, "--wait", "1.5"], /--wait must be a number of seconds/],
      [["rollback", ...ARGS, "--dry-run", "--wait", "60"], /--wait does nothing with --dry-run/],
      [["rollback", ...ARGS, "--bogus"], /Unknown option '--bogus'/],
      [["rollback", ...ARGS, "now"], /unexpected argument "now"/],
    ];
    for (const [args, message] of cases) {
      const r = recorder();
      expect(await runCli(args, r.io)).toBe(2);
      expect(r.err()).toMatch(/^slo rollback: /);
      expect(r.err()).toMatch(message);
    }
  });

  it("prints its help with exit 0", async () => {
    const r = recorder();
    expect(await runCli(["rollback", "--help"], r.io)).toBe(0);
    expect(r.out()).toMatch(/Usage: slo rollback --service NAME --cluster NAME/);
  });

  it("names AWS_REGION when no region is configured, before calling AWS", async () => {
    vi.stubEnv("AWS_REGION", "");
    vi.stubEnv("AWS_DEFAULT_REGION", "");
    vi.stubEnv("AWS_PROFILE", "");
    vi.stubEnv("AWS_CONFIG_FILE", resolve(ROOT, "does-not-exist/config"));
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", resolve(ROOT, "does-not-exist/credentials"));
    const r = recorder();
    expect(await runCli(["rollback", ...ARGS, "--dry-run"], r.io)).toBe(1);
    expect(r.err()).toMatch(
      /slo rollback: AwsAccessError: no AWS region configured: set AWS_REGION/,
    );
  });
});

describe("slo rollback against a mocked ECS", () => {
  it("--dry-run prints the plan and changes nothing", async () => {
    const fake = healthyFleet();
    const r = recorder();
    expect(await runWith([...ARGS, "--dry-run"], r.io, { ecs: fake.ecs })).toBe(0);
    expect(r.out()).toBe(
      "rollback of order-service (cluster fleet):\n  current  order-service:12\n  target   order-service:11\ndry run: nothing changed\n",
    );
    expect(fake.names()).toEqual(["DescribeServicesCommand", "ListTaskDefinitionsCommand"]);
  });

  it("--dry-run --json --to prints one JSON plan", async () => {
    const fake = healthyFleet();
    const r = recorder();
    expect(
      await runWith([...ARGS, "--dry-run", "--json", "--to", "9"], r.io, { ecs: fake.ecs }),
    ).toBe(0);
    expect(JSON.parse(r.out())).toEqual({
      dryRun: true,
      plan: { cluster: "fleet", service: "order-service", current: td(12), target: td(9) },
    });
  });

  it("updates the service and waits until the rollout is COMPLETED", async () => {
    const fake = healthyFleet();
    const r = recorder();
    expect(await runWith([...ARGS], r.io, { ecs: fake.ecs })).toBe(0);
    expect(fake.calls.find((c) => c.name === "UpdateServiceCommand")?.input).toEqual({
      cluster: "fleet",
      service: "order-service",
      taskDefinition: td(11),
    });
    expect(fake.names().at(-1)).toBe("DescribeServicesCommand");
    expect(r.out()).toMatch(/rolled back order-service to order-service:11: COMPLETED after \d+ s/);
    // The service now differs from the IaC state: say so, and how to reconcile.
    expect(r.out()).toMatch(
      /warning: order-service now runs order-service:11, not the order-service:12 the stage's IaC state .* declares: the next sst deploy/,
    );
    expect(r.out()).toMatch(/redeploy the previous git revision/);
  });

  it("--wait 0 returns once ECS accepted the update", async () => {
    const fake = healthyFleet();
    const r = recorder();
    expect(await runWith([...ARGS, "--wait", "0", "--json"], r.io, { ecs: fake.ecs })).toBe(0);
    const out = JSON.parse(r.out());
    expect(out.result).toMatchObject({ outcome: "STARTED", to: td(11), deploymentId: "ecs-svc/7" });
    expect(out.drift).toMatch(/out of step|IaC state/);
    expect(fake.names()).toEqual([
      "DescribeServicesCommand",
      "ListTaskDefinitionsCommand",
      "UpdateServiceCommand",
    ]);
  });

  it("refuses during a deployment in progress without --force", async () => {
    const fake = fakeEcs({
      DescribeServicesCommand: () => serviceOn(12, "IN_PROGRESS"),
      ListTaskDefinitionsCommand: () => ({ taskDefinitionArns: [td(12), td(11)] }),
    });
    await expect(runWith([...ARGS], recorder().io, { ecs: fake.ecs })).rejects.toThrow(
      /deployment in progress .* force the rollback over it \(slo rollback --force\)/,
    );
    expect(fake.names()).not.toContain("UpdateServiceCommand");
    const r = recorder();
    expect(await runWith([...ARGS, "--force", "--dry-run"], r.io, { ecs: fake.ecs })).toBe(0);
    expect(r.out()).toMatch(
      /forced over deployment ecs-svc\/7 \(order-service:12, IN_PROGRESS, 4\/4 running\)/,
    );
  });
});
