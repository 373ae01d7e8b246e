import { afterEach, describe, expect, it, vi } from "vitest";

const ENV = {
  SLO_STAGE: "test",
  ECS_CLUSTER_NAME: "fleet",
  AWS_REGION: "us-east-1",
  SLO_SHARD_ABOVE: "500",
  SLO_SLOS_PER_SHARD: "500",
  SST_RESOURCE_RollupBucket: '{"name":"test-rollup"}',
  SST_RESOURCE_AlertTopicPage: '{"arn":"arn:aws:sns:us-east-1:123456789012:page"}',
  SST_RESOURCE_AlertTopicTicket: '{"arn":"arn:aws:sns:us-east-1:123456789012:ticket"}',
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("sharded entry points (handlers/sharded.ts)", () => {
  it("validates its configuration at import and exports the four steps", async () => {
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    const mod = await import("./sharded.ts");
    for (const step of [mod.calculator, mod.evaluator, mod.merge]) {
      expect(typeof step).toBe("function");
      expect(typeof step.use).toBe("function");
    }
    expect(typeof mod.plan).toBe("function");
  });

  it("fails at cold start on a bad shard setting, naming it", async () => {
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    vi.stubEnv("SLO_SLOS_PER_SHARD", "none");
    await expect(import("./sharded.ts")).rejects.toThrow(/SLO_SLOS_PER_SHARD="none"/);
  });
});
