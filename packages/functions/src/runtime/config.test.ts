import { createCipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadFunctionConfig } from "./config.ts";
import { FunctionConfigError } from "./errors.ts";
import { readLinkedResources } from "./linked-resources.ts";

const BASE = { SLO_STAGE: "prod", ECS_CLUSTER_NAME: "fleet" };
const LINKS = {
  SST_RESOURCE_RollupBucket: JSON.stringify({ name: "prod-rollup" }),
  SST_RESOURCE_AlertTopicPage: JSON.stringify({ arn: "arn:aws:sns:eu-west-1:123456789012:page" }),
  SST_RESOURCE_AlertTopicTicket: JSON.stringify({
    arn: "arn:aws:sns:eu-west-1:123456789012:ticket",
  }),
};

function configError(fn: () => unknown): FunctionConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FunctionConfigError) return error;
    throw error;
  }
  throw new Error("expected a FunctionConfigError");
}

describe("loadFunctionConfig", () => {
  it("reads env and SST links with defaults", () => {
    const c = loadFunctionConfig("burn-rate-evaluator", {
      ...BASE,
      ...LINKS,
      AWS_REGION: "eu-west-1",
    });
    expect(c).toMatchObject({
      stage: "prod",
      clusterName: "fleet",
      region: "eu-west-1",
      definitionsFile: "slo-definitions.json",
      notify: true,
      metricsNamespace: "Custom/SLO",
      serviceName: "burn-rate-evaluator",
      stepMs: 300_000,
      rollupBucket: "prod-rollup",
      alertTopics: {
        page: "arn:aws:sns:eu-west-1:123456789012:page",
        ticket: "arn:aws:sns:eu-west-1:123456789012:ticket",
      },
    });
  });

  it("lists every missing setting with the env var and the fix", () => {
    const e = configError(() => loadFunctionConfig("burn-rate-evaluator", {}));
    expect(e.message).toContain("SLO_STAGE is missing: set SLO_STAGE");
    expect(e.message).toContain("ECS_CLUSTER_NAME is missing");
    expect(e.message).toContain(
      "SST link RollupBucket (env SST_RESOURCE_RollupBucket) is missing: link the RollupBucket",
    );
    expect(e.message).toContain("SST_RESOURCE_AlertTopicPage");
    expect(e.message).toContain("SST_RESOURCE_AlertTopicTicket");
  });

  it("asks each function only for what it uses", () => {
    expect(loadFunctionConfig("predicted-load", BASE).rollupBucket).toBeUndefined();
    const e = configError(() => loadFunctionConfig("slo-calculator", BASE));
    expect(e.message).toContain("RollupBucket");
    expect(e.message).not.toContain("AlertTopicPage");
  });

  it("rejects malformed values naming the field", () => {
    const e = configError(() =>
      loadFunctionConfig("burn-rate-evaluator", {
        ...BASE,
        ...LINKS,
        SST_RESOURCE_AlertTopicPage: JSON.stringify({ arn: "not-an-arn" }),
        SLO_STEP_SECONDS: "90",
      }),
    );
    expect(e.message).toMatch(/AlertTopicPage .*field "arn"\).* must be an SNS topic ARN/);
    expect(e.message).toMatch(/SLO_STEP_SECONDS is invalid: must be a whole number of minutes/);
    const bad = configError(() =>
      loadFunctionConfig("slo-calculator", { ...BASE, SST_RESOURCE_RollupBucket: "{name:" }),
    );
    expect(bad.message).toMatch(/SST_RESOURCE_RollupBucket is not valid JSON/);
  });

  it("reads CloudWatch by default and Prometheus only with its URL", () => {
    expect(loadFunctionConfig("predicted-load", BASE).backend).toEqual({ kind: "cloudwatch" });
    const url = "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1";
    expect(
      loadFunctionConfig("predicted-load", {
        ...BASE,
        SLO_BACKEND: "prometheus",
        SLO_PROMETHEUS_URL: url,
      }).backend,
    ).toEqual({ kind: "prometheus", url });
    const missing = configError(() =>
      loadFunctionConfig("predicted-load", { ...BASE, SLO_BACKEND: "prometheus" }),
    );
    expect(missing.message).toMatch(/SLO_PROMETHEUS_URL is missing: set SLO_PROMETHEUS_URL/);
    const wrong = configError(() =>
      loadFunctionConfig("predicted-load", { ...BASE, SLO_BACKEND: "thanos" }),
    );
    expect(wrong.message).toMatch(/SLO_BACKEND is invalid: .*write "cloudwatch"/);
  });
});

function encryptLinks(links: unknown): { dir: string; key: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "sst-links-"));
  const key = randomBytes(32);
  const cipher = createCipheriv("aes-256-gcm", key, Buffer.alloc(12, 0));
  const body = Buffer.concat([
    cipher.update(JSON.stringify(links)),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  writeFileSync(path.join(dir, "resource.enc"), body);
  return { dir, key: key.toString("base64") };
}

describe("readLinkedResources", () => {
  it("decrypts SST 4's resource.enc and lets SST_RESOURCE_ env vars override it", () => {
    const { dir, key } = encryptLinks({
      RollupBucket: { name: "from-file" },
      AlertTopicPage: { arn: "arn:aws:sns:x" },
    });
    const links = readLinkedResources(
      {
        SST_KEY: key,
        SST_KEY_FILE: "resource.enc",
        SST_RESOURCE_RollupBucket: '{"name":"from-env"}',
      },
      dir,
    );
    expect(links).toEqual({
      RollupBucket: { name: "from-env" },
      AlertTopicPage: { arn: "arn:aws:sns:x" },
    });
    const config = loadFunctionConfig(
      "slo-calculator",
      BASE,
      readLinkedResources({ SST_KEY: key, SST_KEY_FILE: "resource.enc" }, dir),
    );
    expect(config.rollupBucket).toBe("from-file");
  });

  it("fails clearly on a wrong key or a missing file", () => {
    const { dir } = encryptLinks({ RollupBucket: { name: "x" } });
    const wrongKey = randomBytes(32).toString("base64");
    expect(() =>
      readLinkedResources({ SST_KEY: wrongKey, SST_KEY_FILE: "resource.enc" }, dir),
    ).toThrow(/cannot be decrypted with SST_KEY/);
    expect(() =>
      readLinkedResources({ SST_KEY: wrongKey, SST_KEY_FILE: "missing.enc" }, dir),
    ).toThrow(/missing.enc cannot be read \(ENOENT\)/);
  });
});
