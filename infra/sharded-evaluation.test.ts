import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { createS3Client, S3ShardObjectStore } from "../packages/aws/src/index.ts";
import { fleetServiceSlos, loadFleetSlos } from "../packages/core/testing/fleet-slos.ts";
import { shardResultKey } from "../packages/functions/src/runtime/shard-results.ts";
import { resolveStage, StageEnvError } from "../stacks/index.ts";
import { JOB_RETRIES } from "./dead-letter.ts";
import {
  SHARD_MAP_CONCURRENCY,
  SHARD_RESULTS_PREFIX,
  SHARD_ROLLUP_PREFIX,
  SHARDED_ALARM_MONTHLY_USD,
  shardingFor,
  stateMachineDefinition,
} from "./sharded-evaluation.ts";
import type { ResourceRecord } from "./testing/mocks.ts";
import { shardedCost } from "./testing/summary.ts";

const ARN = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;
const validate = ((aslValidator as unknown as { default?: typeof aslValidator }).default ??
  aslValidator) as typeof aslValidator;

describe("sharded evaluation state machines", () => {
  const evaluator = stateMachineDefinition(ARN("plan"), ARN("shard"), ARN("merge"));
  const calculator = stateMachineDefinition(ARN("plan"), ARN("shard"));

  it("are valid Amazon States Language", () => {
    for (const def of [evaluator, calculator]) {
      const r = validate(def);
      expect(r.errors).toEqual([]);
      expect(r.isValid).toBe(true);
    }
  });

  it("a validator that refuses what Step Functions refuses (a Map without its processor)", () => {
    const broken = structuredClone(evaluator) as { States: { Shards: Record<string, unknown> } };
    delete broken.States.Shards.ItemProcessor;
    expect(validate(broken).isValid).toBe(false);
  });

  it("fan out with a concurrency limit, retry Lambda throttles, catch a failed shard, then merge once", () => {
    const shards = evaluator.States.Shards;
    expect(shards.MaxConcurrency).toBe(SHARD_MAP_CONCURRENCY);
    const shard = shards.ItemProcessor.States.Shard;
    expect(shard.Retry[0]?.ErrorEquals).toContain("Lambda.TooManyRequestsException");
    expect(shard.Catch[0]?.ErrorEquals).toEqual(["States.ALL"]);
    // Full job results of 32 shards would pass the 256 KB payload limit: counts only.
    expect(Object.keys(shard.ResultSelector)).toEqual(["succeeded.$", "failed.$"]);
    expect(shards.ResultPath).toBeNull();
    expect(evaluator.States.Merge?.Parameters.FunctionName).toBe(ARN("merge"));
    expect("Merge" in calculator.States).toBe(false);
    expect(calculator.States.Shards).toMatchObject({ End: true });
  });
});

describe("sharded retries", () => {
  const evaluator = stateMachineDefinition(ARN("plan"), ARN("shard"), ARN("merge"));
  const handlerRetries = (task: { Retry: { ErrorEquals: string[]; MaxAttempts: number }[] }) =>
    task.Retry.filter((r) => r.ErrorEquals.includes("States.TaskFailed"));

  it("retry a Plan or Merge handler error once (as Lambda retries a single job), never a shard", () => {
    for (const task of [evaluator.States.Plan, evaluator.States.Merge]) {
      const [retry, ...more] = handlerRetries(task as never);
      expect(more).toEqual([]);
      expect(retry?.MaxAttempts).toBe(JOB_RETRIES.lambda);
    }
    // A shard re-run would hold its Map slot up to 4 more minutes inside Express's 5.
    expect(handlerRetries(evaluator.States.Shards.ItemProcessor.States.Shard as never)).toEqual([]);
    // Service errors first: Step Functions applies the first retrier that matches.
    expect(evaluator.States.Plan.Retry[0]?.ErrorEquals).toContain("Lambda.ServiceException");
  });
});

describe("shard object prefixes the grants are scoped to", () => {
  it("are the ones the stores write", () => {
    const store = new S3ShardObjectStore({
      client: createS3Client({ region: "us-east-1" }),
      bucket: "b",
    });
    expect(store.name).toBe(`s3://b/${SHARD_ROLLUP_PREFIX}`);
    expect(shardResultKey(Date.UTC(2026, 11, 1), "shard-0-of-4")).toMatch(
      new RegExp(`^${SHARD_RESULTS_PREFIX}`),
    );
  });
});

describe("SLO_SHARD_ABOVE / SLO_SLOS_PER_SHARD (stacks/index.ts)", () => {
  it("shard the 41-SLO fleet when the deploy's environment lowers the threshold", async () => {
    const slos = await loadFleetSlos();
    const { profile } = resolveStage("production", {
      SLO_SHARD_ABOVE: "10",
      SLO_SLOS_PER_SHARD: "10",
    });
    expect(shardingFor(slos, profile)).toEqual({ threshold: 10, targetSlosPerShard: 10 });
    expect(shardingFor(slos, resolveStage("production", {}).profile)).toBeUndefined();
  });

  it("refuse a value that is not a whole number, naming the variable and the fix", () => {
    expect(() => resolveStage("dev", { SLO_SHARD_ABOVE: "ten" })).toThrow(StageEnvError);
    expect(() => resolveStage("dev", { SLO_SLOS_PER_SHARD: "0" })).toThrow(
      /SLO_SLOS_PER_SHARD="0" is not a whole number >= 1.*jobs\.slosPerShard/,
    );
  });
});

describe("shardingFor", () => {
  const { profile } = resolveStage("production");

  it("keeps the 41-SLO fleet in one invocation", async () => {
    expect(shardingFor(await loadFleetSlos(), profile)).toBeUndefined();
  });

  it("shards a large fleet, honouring the profile's threshold", () => {
    const big = Array.from({ length: 300 }, (_, i) => fleetServiceSlos(`svc-${i}`)).flat();
    expect(shardingFor(big, profile)).toEqual({ threshold: 500, targetSlosPerShard: 500 });
    const strict = { ...profile, jobs: { ...profile.jobs, shardAbove: 2_000 } };
    expect(shardingFor(big, strict)).toBeUndefined();
  });
});

describe("shardedCost (infra:plan)", () => {
  const r = (type: string, inputs: Record<string, unknown>): ResourceRecord =>
    ({ type, name: type, inputs }) as ResourceRecord;
  const alarm = (kind: string) =>
    r("aws:cloudwatch/metricAlarm:MetricAlarm", { tags: { AlarmKind: kind } });

  it("counts state machines, their execution alarms at list price and dead-lettering schedules", () => {
    const resources = [
      r("aws:sfn/stateMachine:StateMachine", {}),
      r("aws:sfn/stateMachine:StateMachine", {}),
      alarm("state-machine-failed"),
      alarm("state-machine-timed-out"),
      alarm("state-machine-failed"),
      alarm("state-machine-timed-out"),
      alarm("job-errors"),
      alarm("dead-letter"),
      r("aws:scheduler/schedule:Schedule", { target: { deadLetterConfig: { arn: "q" } } }),
      r("aws:scheduler/schedule:Schedule", { target: {} }),
    ];
    expect(shardedCost({ resources })).toEqual({
      state_machines: 2,
      alarms: 4,
      dead_lettered_schedules: 1,
      monthly_usd: 4 * SHARDED_ALARM_MONTHLY_USD,
    });
    expect(shardedCost({ resources: [] }).monthly_usd).toBe(0);
  });
});
