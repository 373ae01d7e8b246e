import { afterEach, describe, expect, it, vi } from "vitest";

const ENV = {
  SLO_STAGE: "test",
  ECS_CLUSTER_NAME: "fleet",
  AWS_REGION: "eu-west-1",
  SST_RESOURCE_RollupBucket: '{"name":"test-rollup"}',
  SST_RESOURCE_AlertTopicPage: '{"arn":"arn:aws:sns:eu-west-1:123456789012:page"}',
  SST_RESOURCE_AlertTopicTicket: '{"arn":"arn:aws:sns:eu-west-1:123456789012:ticket"}',
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("SST entry points (handlers/<name>.ts)", () => {
  it.each(["slo-calculator", "burn-rate-evaluator", "predicted-load"])(
    "%s validates its configuration once at import and exports a middy handler",
    async (name) => {
      for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
      const mod = (await import(`./${name}.ts`)) as {
        handler: { use: unknown; (...a: unknown[]): unknown };
      };
      expect(typeof mod.handler).toBe("function");
      expect(typeof mod.handler.use).toBe("function");
    },
  );

  it("fails at cold start with every missing setting named", async () => {
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    vi.stubEnv("SLO_STAGE", "");
    vi.stubEnv("SST_RESOURCE_AlertTopicTicket", "");
    await expect(import("./burn-rate-evaluator.ts")).rejects.toThrow(
      /SLO_STAGE is missing[\s\S]*SST_RESOURCE_AlertTopicTicket\) is missing/,
    );
  });
});
