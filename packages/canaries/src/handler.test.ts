import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type SampleServiceHandle, startSampleService } from "@slo/sample-service";
import { afterEach, describe, expect, it } from "vitest";
import { canaryConfigFromEnv } from "./config.ts";
import { CanaryFailedError, loadSynthetics, runCanary, type SyntheticsLike } from "./handler.ts";
import { CanaryConfigError } from "./steps.ts";

const running: SampleServiceHandle[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function service(faultErrorRate = 0) {
  const svc = await startSampleService(
    {
      host: "127.0.0.1",
      port: 0,
      latencyMedianMs: 1,
      drainDelayMs: 0,
      logRequests: false,
      faultErrorRate,
    },
    { sink: () => {} },
  );
  running.push(svc);
  return svc;
}

function recordingSynthetics(): SyntheticsLike & { steps: string[]; failed: string[] } {
  const steps: string[] = [];
  const failed: string[] = [];
  return {
    steps,
    failed,
    async executeStep<T>(name: string, fn: () => Promise<T>): Promise<T> {
      steps.push(name);
      try {
        return await fn();
      } catch (err) {
        failed.push(name);
        throw err; // as Synthetics does with continueOnStepFailure off
      }
    },
  };
}

describe("canary handler", () => {
  it("wraps every step in synthetics.executeStep and succeeds on a healthy service", async () => {
    const svc = await service();
    const synthetics = recordingSynthetics();
    const logs: string[] = [];
    const result = await runCanary(
      { CANARY_BASE_URL: svc.url },
      { synthetics, log: (l) => logs.push(l) },
    );
    expect(result.ok).toBe(true);
    expect(synthetics.steps).toEqual(["health", "api"]);
    expect(logs.map((l) => JSON.parse(l).name)).toEqual(["health", "api"]);
  });

  it("runs every step even after a failure, then throws CanaryFailedError", async () => {
    const svc = await service(1);
    const synthetics = recordingSynthetics();
    const err = await runCanary({ CANARY_BASE_URL: svc.url }, { synthetics, log: () => {} }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CanaryFailedError);
    expect((err as CanaryFailedError).message).toMatch(/api: .* answered 500/);
    expect(synthetics.steps).toEqual(["health", "api"]);
    expect(synthetics.failed).toEqual(["api"]);
  });

  it("runs without the Synthetics library (local runs, tests)", async () => {
    const svc = await service();
    const result = await runCanary(
      { CANARY_BASE_URL: svc.url, CANARY_API_PATH: "/api/items/1" },
      { log: () => {} },
    );
    expect(result.steps.map((s) => s.url)).toEqual([`${svc.url}/health`, `${svc.url}/api/items/1`]);
  });

  it("finds no Synthetics library outside a canary", () => {
    expect(loadSynthetics()).toBeUndefined();
  });

  it("loads the Synthetics library from node_modules beside the script, preferring the new namespace", async () => {
    // Two layers: module resolution is cached per directory, so each case gets its own.
    const both = await mkdtemp(join(tmpdir(), "canary-lib-"));
    const legacyOnly = await mkdtemp(join(tmpdir(), "canary-lib-"));
    try {
      for (const dir of [both, legacyOnly]) {
        await mkdir(join(dir, "node_modules"), { recursive: true });
        await writeFile(
          join(dir, "node_modules", "Synthetics.js"),
          "module.exports = { executeStep: async (n, f) => f(), which: 'legacy' };",
        );
      }
      const modern = join(both, "node_modules", "@aws", "synthetics-puppeteer");
      await mkdir(modern, { recursive: true });
      await writeFile(
        join(modern, "index.js"),
        "exports.executeStep = async (n, f) => f(); exports.which = 'modern';",
      );
      const lib = loadSynthetics(pathToFileURL(join(both, "script.js")).href) as SyntheticsLike & {
        which: string;
      };
      expect(lib.which).toBe("modern");
      const legacy = loadSynthetics(
        pathToFileURL(join(legacyOnly, "script.js")).href,
      ) as SyntheticsLike & {
        which: string;
      };
      expect(legacy.which).toBe("legacy");
    } finally {
      await rm(both, { recursive: true, force: true });
      await rm(legacyOnly, { recursive: true, force: true });
    }
  });
});

describe("canaryConfigFromEnv", () => {
  it("builds the health and API steps from env", () => {
    const c = canaryConfigFromEnv({
      CANARY_BASE_URL: "http://alb.example.com",
      CANARY_HEALTH_PATH: "/order-service/health",
      CANARY_API_PATH: "/order-service/api/items",
      CANARY_LATENCY_BUDGET_MS: "750",
      CANARY_TIMEOUT_MS: "4000",
    });
    expect(c.steps).toEqual([
      { name: "health", path: "/order-service/health", latencyBudgetMs: 750, timeoutMs: 4000 },
      { name: "api", path: "/order-service/api/items", latencyBudgetMs: 750, timeoutMs: 4000 },
    ]);
  });

  it("adds the mesh step when CANARY_DOWNSTREAMS_PATH is set", () => {
    const c = canaryConfigFromEnv({
      CANARY_BASE_URL: "http://alb.example.com/order-service",
      CANARY_DOWNSTREAMS_PATH: "/downstreams",
    });
    expect(c.steps.map((s) => [s.name, s.path, s.expectedStatus])).toEqual([
      ["health", "/health", undefined],
      ["api", "/api/items", undefined],
      ["downstreams", "/downstreams", 200],
    ]);
    expect(() =>
      canaryConfigFromEnv({ CANARY_BASE_URL: "http://x", CANARY_DOWNSTREAMS_PATH: "downstreams" }),
    ).toThrow(/CANARY_DOWNSTREAMS_PATH="downstreams"/);
  });

  it.each([
    [{}, /CANARY_BASE_URL is not set/],
    [
      { CANARY_BASE_URL: "http://x", CANARY_LATENCY_BUDGET_MS: "fast" },
      /CANARY_LATENCY_BUDGET_MS="fast"/,
    ],
    [
      { CANARY_BASE_URL: "http://x", CANARY_HEALTH_PATH: "health" },
      /CANARY_HEALTH_PATH="health".*starting with "\/"/,
    ],
  ])("rejects %o naming the variable", (env, message) => {
    expect(() => canaryConfigFromEnv(env)).toThrow(CanaryConfigError);
    expect(() => canaryConfigFromEnv(env)).toThrow(message);
  });
});
