import { resolve } from "node:path";
import { type SampleServiceHandle, startSampleService } from "@slo/sample-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { recordIo } from "../testing/record-io.ts";
import { runWith } from "./loadtest.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");

let svc: SampleServiceHandle;
beforeAll(async () => {
  svc = await startSampleService(
    {
      host: "127.0.0.1",
      port: 0,
      serviceName: "payment-service",
      latencyMedianMs: 0,
      // one request in five fails: the availability SLO must break
      faultErrorRate: 0.2,
      drainDelayMs: 0,
      shutdownTimeoutMs: 1000,
      randomSeed: 7,
      logRequests: false,
    },
    { sink: () => {} },
  );
});
afterAll(async () => {
  await svc.close();
});

describe("slo loadtest usage", () => {
  it("refuses non-HTTP URLs, unbounded runs and ambiguous shapes with exit 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--rps", "5"], /--url is required/],
      [["--url", "file:///etc/passwd", "--rps", "5"], /http:\/\/ or https:\/\/, got file:/],
      [["--url", "ftp://127.0.0.1/", "--rps", "5"], /http:\/\/ or https:\/\//],
      [["--url", "not a url", "--rps", "5"], /is not a URL/],
      [["--url", "http://127.0.0.1:9/"], /exactly one of --trace FILE .* or --rps N/],
      [["--url", "http://127.0.0.1:9/", "--rps", "5", "--trace", "x.csv"], /exactly one/],
      [
        ["--url", "http://127.0.0.1:9/", "--rps", "5", "--duration", "3h"],
        /--duration must be from 1s to 2h/,
      ],
      [["--url", "http://127.0.0.1:9/", "--rps", "5", "--duration", "500ms"], /not a duration/],
      [["--url", "http://127.0.0.1:9/", "--rps", "20000"], /--rps must be a rate from 1 to 10000/],
      [
        ["--url", "http://127.0.0.1:9/", "--rps", "5", "--max-rps", "9"],
        /--speedup and --max-rps shape a --trace/,
      ],
      [["--url", "http://127.0.0.1:9/", "--rps", "5", "--cluster", "c"], /name it with --service/],
    ];
    for (const [argv, message] of cases) {
      const r = recordIo(ROOT);
      expect(await runCli(["loadtest", ...argv], r.io), argv.join(" ")).toBe(2);
      expect(r.err()).toMatch(message);
    }
  });

  it("has --help", async () => {
    const r = recordIo(ROOT);
    expect(await runCli(["loadtest", "--help"], r.io)).toBe(0);
    expect(r.out()).toMatch(/Usage: slo loadtest --url URL/);
  });
});

describe("slo loadtest against the sample service on loopback", () => {
  it("offers the rate, records errors by class and says the load breaks availability", async () => {
    const r = recordIo(ROOT);
    const tasks: string[] = [];
    const code = await runWith(
      [
        "--url",
        `${svc.url}/api/items`,
        "--rps",
        "40",
        "--duration",
        "3s",
        "--json",
        "--service",
        "payment-service",
        "--cluster",
        "fleet",
      ],
      r.io,
      {
        readTasks: async (cluster, service) => {
          tasks.push(`${cluster}/${service}`);
          return { running: 2, desired: 3, pending: 1 };
        },
      },
    );
    expect(code).toBe(0);
    const doc = JSON.parse(r.out());
    expect(doc.interrupted).toBe(false);
    expect(doc.total.offeredRps).toBe(40);
    expect(doc.total.requests).toBeGreaterThan(80);
    expect(doc.total.errors["5xx"]).toBeGreaterThan(0);
    expect(doc.total.errors["5xx"] / doc.total.requests).toBeLessThan(0.4);
    expect(doc.intervals[0].tasks).toEqual({ running: 2, desired: 3, pending: 1 });
    expect(tasks).toEqual(["fleet/payment-service"]);
    const availability = doc.slo.objectives.find(
      (o: { slo: string }) => o.slo === "payment-service-availability",
    );
    expect(availability.met).toBe(false);
    expect(availability.breaksFromMs).toBe(0);
    expect(availability.perSecond.total.reduce((a: number, b: number) => a + b, 0)).toBe(
      doc.total.requests,
    );
  });

  it("finds the service from /health when --service is absent", async () => {
    const r = recordIo(ROOT);
    expect(
      await runWith(
        ["--url", `${svc.url}/health`, "--rps", "5", "--duration", "1s", "--json"],
        r.io,
        {},
      ),
    ).toBe(0);
    const doc = JSON.parse(r.out());
    expect(doc.service).toBe("payment-service");
    expect(doc.slo.objectives.length).toBeGreaterThan(0);
  });

  it("stops on Ctrl-C with a partial report and exit 130", async () => {
    const r = recordIo(ROOT);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const started = Date.now();
    const code = await runWith(
      ["--url", `${svc.url}/health`, "--rps", "20", "--duration", "60s"],
      r.io,
      {
        signal: controller.signal,
      },
    );
    expect(code).toBe(130);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.out()).toMatch(/interrupted: partial report/);
    expect(r.out()).toMatch(/total: \d+ requests in 0:0[12]/);
  });

  it("counts refused connections as connection errors", async () => {
    const r = recordIo(ROOT);
    // port 9 (discard) is closed on loopback: every request fails to connect
    expect(
      await runWith(
        [
          "--url",
          "http://127.0.0.1:9/",
          "--rps",
          "5",
          "--duration",
          "1s",
          "--json",
          "--service",
          "payment-service",
        ],
        r.io,
        {},
      ),
    ).toBe(0);
    const doc = JSON.parse(r.out());
    expect(doc.total.errors.connection).toBeGreaterThan(0);
    expect(doc.total.achievedRps).toBe(0);
    expect(doc.total.errors["5xx"]).toBe(0);
  });
});
