import {
  type Deployment,
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { AwsCallError } from "../errors.ts";
import { RollbackError, RollbackTimeoutError } from "./errors.ts";
import { executeRollback, planRollback, type RollbackPlan } from "./rollback.ts";

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: "eu-west-1" });
const td = (family: string, rev: number) =>
  `arn:aws:ecs:eu-west-1:111122223333:task-definition/${family}:${rev}`;

function service(taskDefinition: string, deployments: Deployment[]) {
  return {
    services: [
      {
        serviceName: "order-service",
        serviceArn: "arn:aws:ecs:eu-west-1:111122223333:service/fleet/order-service",
        status: "ACTIVE",
        taskDefinition,
        deployments,
      },
    ],
    failures: [],
  };
}

const done = (taskDefinition: string, id = "ecs-svc/1"): Deployment => ({
  id,
  status: "PRIMARY",
  taskDefinition,
  rolloutState: "COMPLETED",
  runningCount: 4,
  desiredCount: 4,
});

/** ListTaskDefinitions over `revisions` newest first, `pageSize` per page. */
function listing(revisions: string[], pageSize: number) {
  ecsMock.on(ListTaskDefinitionsCommand).callsFake((input) => {
    const from = input.nextToken ? Number(input.nextToken) : 0;
    const to = Math.min(revisions.length, from + pageSize);
    return {
      taskDefinitionArns: revisions.slice(from, to),
      ...(to < revisions.length ? { nextToken: String(to) } : {}),
    };
  });
}

beforeEach(() => {
  ecsMock.reset();
});

describe("planRollback", () => {
  it("lists ACTIVE revisions of the family newest first and picks the previous one", async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolves(service(td("order-service", 12), [done(td("order-service", 12))]));
    listing([td("order-service", 12), td("order-service", 11), td("order-service", 10)], 100);
    const plan = await planRollback({ ecs, cluster: "fleet", service: "order-service" });
    expect(plan).toEqual({
      cluster: "fleet",
      service: "order-service",
      current: td("order-service", 12),
      target: td("order-service", 11),
    });
    const input = ecsMock.commandCalls(ListTaskDefinitionsCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ familyPrefix: "order-service", status: "ACTIVE", sort: "DESC" });
    expect(ecsMock.commandCalls(DescribeServicesCommand)[0]?.args[0].input).toEqual({
      cluster: "fleet",
      services: ["order-service"],
    });
  });

  it("follows nextToken until it reaches an older revision, then stops", async () => {
    // A prefix listing: 250 revisions of another family sort first, then current (140)
    // and 139 older ones: 390 ARNs over four pages.
    const other = Array.from({ length: 250 }, (_, i) => td("order-service-admin", 300 - i));
    const own = Array.from({ length: 140 }, (_, i) => td("order-service", 140 - i));
    listing([...other, ...own], 100);
    ecsMock
      .on(DescribeServicesCommand)
      .resolves(service(td("order-service", 140), [done(td("order-service", 140))]));
    const plan = await planRollback({ ecs, cluster: "fleet", service: "order-service" });
    expect(plan.target).toBe(td("order-service", 139));
    // Page 3 holds revisions 140 and 139: page 4 is never read.
    expect(
      ecsMock.commandCalls(ListTaskDefinitionsCommand).map((c) => c.args[0].input.nextToken),
    ).toEqual([undefined, "100", "200"]);
  });

  it("reads every page when the wanted revision is at the end", async () => {
    const revs = Array.from({ length: 230 }, (_, i) => td("web", 300 - i));
    listing(revs, 100);
    ecsMock.on(DescribeServicesCommand).resolves(service(td("web", 300), [done(td("web", 300))]));
    const plan = await planRollback({ ecs, cluster: "fleet", service: "order-service", to: 71 });
    expect(plan.target).toBe(td("web", 71));
    expect(ecsMock.commandCalls(ListTaskDefinitionsCommand)).toHaveLength(3);
  });

  it("refuses while a deployment is IN_PROGRESS unless forced", async () => {
    const deploying: Deployment = {
      id: "ecs-svc/2",
      status: "PRIMARY",
      taskDefinition: td("order-service", 12),
      rolloutState: "IN_PROGRESS",
      runningCount: 1,
      desiredCount: 4,
    };
    ecsMock
      .on(DescribeServicesCommand)
      .resolves(
        service(td("order-service", 12), [
          deploying,
          { ...done(td("order-service", 11)), status: "ACTIVE" },
        ]),
      );
    listing([td("order-service", 12), td("order-service", 11)], 100);
    await expect(planRollback({ ecs, cluster: "fleet", service: "order-service" })).rejects.toThrow(
      /deployment in progress \(ecs-svc\/2 to order-service:12, 1\/4 tasks running\); wait for it to finish, or force/,
    );
    expect(ecsMock.commandCalls(ListTaskDefinitionsCommand)).toHaveLength(0);
    const forced = await planRollback({
      ecs,
      cluster: "fleet",
      service: "order-service",
      force: true,
    });
    expect(forced.target).toBe(td("order-service", 11));
    expect(forced.inProgressDeployment).toMatchObject({
      id: "ecs-svc/2",
      rolloutState: "IN_PROGRESS",
    });
  });

  it("names the cluster when the service does not exist", async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [],
      failures: [
        { arn: "arn:aws:ecs:eu-west-1:111122223333:service/fleet/nope", reason: "MISSING" },
      ],
    });
    const err = await planRollback({ ecs, cluster: "fleet", service: "nope" }).catch((e) => e);
    expect(err).toBeInstanceOf(RollbackError);
    expect(err.message).toMatch(/ECS service "nope" is not in cluster "fleet" \(MISSING\)/);
  });

  it("turns an SDK failure into an AwsCallError naming the operation", async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .rejects(
        Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" }),
      );
    await expect(planRollback({ ecs, cluster: "fleet", service: "order-service" })).rejects.toThrow(
      AwsCallError,
    );
    await expect(planRollback({ ecs, cluster: "fleet", service: "order-service" })).rejects.toThrow(
      /ecs:DescribeServices failed: AccessDeniedException/,
    );
  });
});

const PLAN: RollbackPlan = {
  cluster: "fleet",
  service: "order-service",
  current: td("order-service", 12),
  target: td("order-service", 11),
};

/** A clock that only moves when the rollback sleeps. */
function fakeTime() {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

function updateResolves() {
  ecsMock.on(UpdateServiceCommand).resolves({
    service: {
      serviceName: "order-service",
      deployments: [
        {
          id: "ecs-svc/9",
          status: "PRIMARY",
          taskDefinition: PLAN.target,
          rolloutState: "IN_PROGRESS",
        },
        { ...done(PLAN.current), status: "ACTIVE" },
      ],
    },
  });
}

describe("executeRollback", () => {
  it("updates the service to the target and returns without waiting by default", async () => {
    updateResolves();
    const result = await executeRollback(PLAN, { ecs });
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: "fleet",
      service: "order-service",
      taskDefinition: PLAN.target,
    });
    expect(result).toMatchObject({ outcome: "STARTED", deploymentId: "ecs-svc/9", waitedMs: 0 });
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(0);
  });

  it("polls until the rollback deployment is PRIMARY and COMPLETED", async () => {
    updateResolves();
    const inProgress: Deployment = {
      id: "ecs-svc/9",
      status: "PRIMARY",
      taskDefinition: PLAN.target,
      rolloutState: "IN_PROGRESS",
      runningCount: 2,
      desiredCount: 4,
    };
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce(service(PLAN.target, [inProgress, { ...done(PLAN.current), status: "ACTIVE" }]))
      .resolvesOnce(service(PLAN.target, [inProgress]))
      .resolves(service(PLAN.target, [done(PLAN.target, "ecs-svc/9")]));
    const clock = fakeTime();
    const result = await executeRollback(PLAN, { ecs, waitMs: 600_000, pollMs: 15_000, ...clock });
    expect(result).toMatchObject({
      outcome: "COMPLETED",
      waitedMs: 30_000,
      from: PLAN.current,
      to: PLAN.target,
    });
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(3);
    expect(clock.slept).toEqual([15_000, 15_000]);
  });

  it("fails with the reason when the rollout FAILED, even after the breaker rolled it back", async () => {
    updateResolves();
    ecsMock.on(DescribeServicesCommand).resolves(
      service(PLAN.current, [
        {
          id: "ecs-svc/10",
          status: "PRIMARY",
          taskDefinition: PLAN.current,
          rolloutState: "IN_PROGRESS",
        },
        {
          id: "ecs-svc/9",
          status: "ACTIVE",
          taskDefinition: PLAN.target,
          rolloutState: "FAILED",
          rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
        },
      ]),
    );
    const err = await executeRollback(PLAN, { ecs, waitMs: 600_000, ...fakeTime() }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(RollbackError);
    expect(err.message).toMatch(/to order-service:11 FAILED: ECS deployment circuit breaker/);
  });

  it("gives up after waitMs with a RollbackTimeoutError saying the deployment goes on", async () => {
    updateResolves();
    ecsMock.on(DescribeServicesCommand).resolves(
      service(PLAN.target, [
        {
          id: "ecs-svc/9",
          status: "PRIMARY",
          taskDefinition: PLAN.target,
          rolloutState: "IN_PROGRESS",
          runningCount: 1,
          desiredCount: 4,
        },
      ]),
    );
    const clock = fakeTime();
    const err = await executeRollback(PLAN, {
      ecs,
      waitMs: 40_000,
      pollMs: 15_000,
      ...clock,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(RollbackTimeoutError);
    expect(err.message).toMatch(
      /not COMPLETED after 40 s \(IN_PROGRESS, 1\/4 tasks running\); ECS keeps deploying/,
    );
    // Never sleeps past the deadline: 15 + 15 + 10.
    expect(clock.slept).toEqual([15_000, 15_000, 10_000]);
  });

  it("stops polling when the signal aborts", async () => {
    updateResolves();
    ecsMock.on(DescribeServicesCommand).resolves(
      service(PLAN.target, [
        {
          id: "ecs-svc/9",
          status: "PRIMARY",
          taskDefinition: PLAN.target,
          rolloutState: "IN_PROGRESS",
        },
      ]),
    );
    const controller = new AbortController();
    const clock = fakeTime();
    const err = await executeRollback(PLAN, {
      ecs,
      waitMs: 600_000,
      signal: controller.signal,
      now: clock.now,
      sleep: async (ms) => {
        await clock.sleep(ms);
        controller.abort();
      },
    }).catch((e) => e);
    expect(err.name).toBe("BudgetExceededError");
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });
});
