import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { fleetServiceSlos, loadFleetSlos } from "../packages/core/testing/fleet-slos.ts";
import { resolveStage } from "../stacks/index.ts";
import {
  SHARD_MAP_CONCURRENCY,
  shardingFor,
  stateMachineDefinition,
} from "./sharded-evaluation.ts";

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

describe("shardingFor", () => {
  const { profile } = resolveStage("production");

  it("keeps the 40-SLO fleet in one invocation", async () => {
    expect(shardingFor(await loadFleetSlos(), profile)).toBeUndefined();
  });

  it("shards a large fleet, honouring the profile's threshold", () => {
    const big = Array.from({ length: 300 }, (_, i) => fleetServiceSlos(`svc-${i}`)).flat();
    expect(shardingFor(big, profile)).toEqual({ threshold: 500, targetSlosPerShard: 500 });
    const strict = { ...profile, jobs: { ...profile.jobs, shardAbove: 2_000 } };
    expect(shardingFor(big, strict)).toBeUndefined();
  });
});
