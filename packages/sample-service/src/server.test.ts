import { afterEach, describe, expect, it } from "vitest";
import type { SampleServiceConfig } from "./config.ts";
import { type SampleServiceHandle, startSampleService } from "./server.ts";

const running: SampleServiceHandle[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(config: Partial<SampleServiceConfig> = {}, lines: string[] = []) {
  const svc = await startSampleService(
    {
      host: "127.0.0.1",
      port: 0,
      latencyMedianMs: 0,
      drainDelayMs: 0,
      shutdownTimeoutMs: 1000,
      randomSeed: 1,
      ...config,
    },
    { sink: (l) => lines.push(l) },
  );
  running.push(svc);
  return svc;
}

describe("sample service: health and API", () => {
  it("answers /health with 200 JSON", async () => {
    const svc = await start({ serviceName: "order-service" });
    expect(svc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${svc.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ status: "ok", service: "order-service" });
    expect((await fetch(`${svc.url}/health`, { method: "HEAD" })).status).toBe(200);
  });

  it("serves the same routes under the ALB path prefix (BASE_PATH) and without it", async () => {
    const svc = await start({ basePath: "/order-service" });
    expect((await fetch(`${svc.url}/order-service/health`)).status).toBe(200);
    expect((await fetch(`${svc.url}/health`)).status).toBe(200);
    expect((await fetch(`${svc.url}/order-service/api/items`)).status).toBe(200);
    expect((await fetch(`${svc.url}/order-servicex/api/items`)).status).toBe(404);
    await expect(start({ basePath: "order-service/" })).rejects.toThrow(/BASE_PATH/);
  });

  it("lists, reads and creates items", async () => {
    const svc = await start();
    const list = await fetch(`${svc.url}/api/items?limit=5&offset=10`);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { items: { id: string }[]; total: number; limit: number };
    expect(body.items.map((i) => i.id)).toEqual(["11", "12", "13", "14", "15"]);
    expect(body.total).toBe(50);

    const one = await fetch(`${svc.url}/api/items/3`);
    expect(await one.json()).toMatchObject({ id: "3" });
    expect((await fetch(`${svc.url}/api/items/999`)).status).toBe(404);

    const created = await fetch(`${svc.url}/api/items`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "bolt", priceCents: 250 }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/api/items/51");
    expect((await fetch(`${svc.url}/api/items/51`)).status).toBe(200);
  });

  it("rejects bad requests with specific statuses", async () => {
    const svc = await start();
    const post = (body: string) =>
      fetch(`${svc.url}/api/items`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
    expect((await post("{not json")).status).toBe(400);
    const invalid = await post(JSON.stringify({ name: "", priceCents: 1 }));
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: string }).error).toMatch(/"name"/);
    expect((await post("x".repeat(70 * 1024))).status).toBe(413);
    expect((await fetch(`${svc.url}/api/items?limit=0`)).status).toBe(400);
    const del = await fetch(`${svc.url}/api/items/1`, { method: "DELETE" });
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("GET, HEAD");
    expect((await fetch(`${svc.url}/nope`)).status).toBe(404);
  });

  it("writes one structured JSON log line per request", async () => {
    const lines: string[] = [];
    const svc = await start({ serviceName: "audit-service" }, lines);
    await fetch(`${svc.url}/api/items/2`);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const req = entries.find((e) => e.msg === "request");
    expect(req).toMatchObject({
      level: "info",
      service: "audit-service",
      method: "GET",
      path: "/api/items/2",
      status: 200,
    });
    expect(typeof req?.durationMs).toBe("number");
    expect(entries[0]).toMatchObject({ msg: "listening" });
  });

  it("refuses an invalid configuration before listening", async () => {
    await expect(startSampleService({ faultErrorRate: 2 })).rejects.toThrow(/FAULT_ERROR_RATE/);
  });
});

describe("sample service: fault injection", () => {
  it("injects 500s at the configured rate (within binomial bounds)", async () => {
    const svc = await start({ faultErrorRate: 0.2, randomSeed: 12345, logRequests: false });
    const n = 400;
    let errors = 0;
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${svc.url}/api/items/1`);
      await res.arrayBuffer();
      if (res.status === 500) {
        errors++;
        expect(res.headers.get("x-fault")).toBe("error");
      } else {
        expect(res.status).toBe(200);
      }
    }
    // mean 80, sd 8: 5 sd either side
    expect(errors).toBeGreaterThan(40);
    expect(errors).toBeLessThan(120);
    // health is never faulted: the load balancer must see the task's real state
    for (let i = 0; i < 20; i++) expect((await fetch(`${svc.url}/health`)).status).toBe(200);
  });

  it("is reproducible with a seed", async () => {
    const run = async () => {
      const svc = await start({ faultErrorRate: 0.5, randomSeed: 99, logRequests: false });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await fetch(`${svc.url}/api/items`);
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      return statuses;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 500]));
  });

  it("adds the injected latency to API calls but not to /health", async () => {
    const svc = await start({ faultLatencyMs: 150, faultLatencyRate: 1 });
    const t0 = performance.now();
    const res = await fetch(`${svc.url}/api/items/1`);
    await res.arrayBuffer();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    expect(res.headers.get("x-fault")).toBe("latency");
    const t1 = performance.now();
    await (await fetch(`${svc.url}/health`)).arrayBuffer();
    expect(performance.now() - t1).toBeLessThan(145);
  });

  it("applies the latency fault to the configured fraction of requests", async () => {
    const svc = await start({
      faultLatencyMs: 1,
      faultLatencyRate: 0.3,
      randomSeed: 5,
      logRequests: false,
    });
    let slow = 0;
    const n = 300;
    for (let i = 0; i < n; i++) {
      const r = await fetch(`${svc.url}/api/items/1`);
      await r.arrayBuffer();
      if (r.headers.get("x-fault") === "latency") slow++;
    }
    // mean 90, sd ~7.9: 5 sd either side
    expect(slow).toBeGreaterThan(50);
    expect(slow).toBeLessThan(130);
  });
});

describe("sample service: graceful shutdown", () => {
  it("reports 503 on /health while draining, finishes in-flight requests, then stops", async () => {
    const lines: string[] = [];
    const svc = await startSampleService(
      {
        host: "127.0.0.1",
        port: 0,
        latencyMedianMs: 0,
        faultLatencyMs: 400,
        drainDelayMs: 200,
        shutdownTimeoutMs: 2000,
      },
      { sink: (l) => lines.push(l) },
    );
    const inFlight = fetch(`${svc.url}/api/items/1`);
    await new Promise((r) => setTimeout(r, 50));
    const closing = svc.close();
    expect(svc.draining).toBe(true);
    const health = await fetch(`${svc.url}/health`);
    expect(health.status).toBe(503);
    expect(health.headers.get("connection")).toBe("close");
    expect(await health.json()).toMatchObject({ status: "draining" });

    const res = await inFlight;
    expect(res.status).toBe(200);
    await closing;
    await expect(fetch(`${svc.url}/health`)).rejects.toThrow();
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(
      expect.arrayContaining(["draining", "stopped"]),
    );
    expect(svc.close()).toBe(closing);
  });

  it("cuts requests that outlive the shutdown timeout", async () => {
    const svc = await startSampleService(
      {
        host: "127.0.0.1",
        port: 0,
        latencyMedianMs: 0,
        faultLatencyMs: 5000,
        drainDelayMs: 0,
        shutdownTimeoutMs: 100,
      },
      { sink: () => {} },
    );
    const slow = fetch(`${svc.url}/api/items/1`);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await svc.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    await expect(slow).rejects.toThrow();
  });
});
