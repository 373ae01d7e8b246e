import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  downstreamCaller,
  type SampleServiceHandle,
  startSampleService,
} from "@slo/sample-service";
import { afterEach, describe, expect, it } from "vitest";
import { CanaryConfigError, defaultCanarySteps, runCanaryStep, runCanarySteps } from "./steps.ts";

const running: SampleServiceHandle[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function service(config: Parameters<typeof startSampleService>[0] = {}) {
  const svc = await startSampleService(
    {
      host: "127.0.0.1",
      port: 0,
      latencyMedianMs: 1,
      drainDelayMs: 0,
      shutdownTimeoutMs: 500,
      logRequests: false,
      randomSeed: 3,
      ...config,
    },
    { sink: () => {} },
  );
  running.push(svc);
  return svc;
}

describe("runCanarySteps against the sample service", () => {
  it("passes health and API steps on a healthy service", async () => {
    const svc = await service();
    const run = await runCanarySteps(svc.url, defaultCanarySteps({ latencyBudgetMs: 1000 }), fetch);
    expect(run.ok).toBe(true);
    expect(run.steps.map((s) => [s.name, s.status, s.ok])).toEqual([
      ["health", 200, true],
      ["api", 200, true],
    ]);
    expect(run.steps[1]?.url).toBe(`${svc.url}/api/items`);
  });

  it("fails the API step on a 5xx, and still runs every step", async () => {
    const svc = await service({ faultErrorRate: 1 });
    const run = await runCanarySteps(svc.url, defaultCanarySteps(), fetch);
    expect(run.ok).toBe(false);
    expect(run.steps[0]).toMatchObject({ name: "health", ok: true });
    expect(run.steps[1]).toMatchObject({ name: "api", ok: false, status: 500, failure: "status" });
    expect(run.steps[1]?.message).toMatch(/answered 500, expected 2xx/);
  });

  it("fails a step that exceeds its latency budget", async () => {
    const svc = await service({ faultLatencyMs: 150 });
    const run = await runCanarySteps(
      svc.url,
      defaultCanarySteps({ latencyBudgetMs: 100, timeoutMs: 3000 }),
      fetch,
    );
    expect(run.steps[0]?.ok).toBe(true); // health is never slowed
    expect(run.steps[1]).toMatchObject({ ok: false, status: 200, failure: "latency" });
    expect(run.steps[1]?.durationMs).toBeGreaterThan(100);
  });

  it("fails with a timeout when the service does not answer in time", async () => {
    const svc = await service({ faultLatencyMs: 3000, shutdownTimeoutMs: 50 });
    const t0 = performance.now();
    const r = await runCanaryStep(svc.url, {
      name: "api",
      path: "/api/items",
      latencyBudgetMs: 100,
      timeoutMs: 200,
    });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r).toMatchObject({ ok: false, status: null, failure: "timeout" });
    expect(r.message).toMatch(/did not answer within 200 ms/);
  });

  it("times out when headers arrive but the body stalls", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const r = await runCanaryStep(`http://127.0.0.1:${port}`, {
        name: "slow-body",
        path: "/",
        latencyBudgetMs: 50,
        timeoutMs: 200,
      });
      expect(r).toMatchObject({ ok: false, failure: "timeout" });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it("reports a network failure when nothing listens", async () => {
    const svc = await service();
    const url = svc.url;
    await svc.close();
    const r = await runCanaryStep(url, {
      name: "health",
      path: "/health",
      latencyBudgetMs: 500,
      timeoutMs: 2000,
    });
    expect(r).toMatchObject({ ok: false, status: null, failure: "network" });
    expect(r.message).toMatch(/request failed/);
  });

  it("accepts explicit status lists and keeps the base URL's path prefix", async () => {
    const svc = await service();
    const r = await runCanaryStep(`${svc.url}/`, {
      name: "missing",
      path: "api/items/999",
      expectedStatus: [404],
      latencyBudgetMs: 1000,
    });
    expect(r).toMatchObject({ ok: true, status: 404, url: `${svc.url}/api/items/999` });
    const calls: string[] = [];
    const fake = async (u: string) => {
      calls.push(u);
      return { status: 200, arrayBuffer: async () => new ArrayBuffer(0) };
    };
    await runCanaryStep(
      "http://alb.example.com/order-service/",
      { name: "h", path: "/health", latencyBudgetMs: 10 },
      fake,
    );
    expect(calls).toEqual(["http://alb.example.com/order-service/health"]);
  });

  it("rejects unusable configuration with a specific error", async () => {
    await expect(
      runCanaryStep("ftp://x", { name: "h", path: "/", latencyBudgetMs: 1 }),
    ).rejects.toThrow(CanaryConfigError);
    await expect(
      runCanaryStep("not a url", { name: "h", path: "/", latencyBudgetMs: 1 }),
    ).rejects.toThrow(/is not a URL/);
    await expect(
      runCanaryStep("http://x", { name: "h", path: "/", latencyBudgetMs: 0 }),
    ).rejects.toThrow(/latencyBudgetMs/);
    await expect(runCanarySteps("http://x", [])).rejects.toThrow(/at least one step/);
  });
});

describe("the mesh step (/downstreams)", () => {
  async function caller(downstreamUrl: string) {
    const svc = await startSampleService(
      { host: "127.0.0.1", port: 0, latencyMedianMs: 0, drainDelayMs: 0, logRequests: false },
      {
        sink: () => {},
        downstreams: downstreamCaller(
          [{ name: "payment-service", url: downstreamUrl, auth: "none" }],
          {
            region: "us-east-1",
            credentials: async () => ({ accessKeyId: "unused", secretAccessKey: "unused" }),
            timeoutMs: 1_000,
          },
        ),
      },
    );
    running.push(svc);
    return svc;
  }

  it("passes when every declared downstream answers, and fails when one does not", async () => {
    const payment = await service({ serviceName: "payment-service" });
    const steps = defaultCanarySteps({ downstreamsPath: "/downstreams", latencyBudgetMs: 2_000 });
    expect(steps.map((s) => s.name)).toEqual(["health", "api", "downstreams"]);

    const good = await runCanarySteps((await caller(payment.url)).url, steps, fetch);
    expect(good.steps[2]).toMatchObject({ name: "downstreams", ok: true, status: 200 });

    // Nothing listens on port 1: the downstream is unreachable, the step reports 502.
    const broken = await runCanarySteps((await caller("http://127.0.0.1:1")).url, steps, fetch);
    expect(broken.steps[2]).toMatchObject({
      name: "downstreams",
      ok: false,
      status: 502,
      failure: "status",
    });
  });
});
