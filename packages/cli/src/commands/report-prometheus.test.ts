import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { recordIo } from "../testing/record-io.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");

describe("slo report --prometheus", () => {
  let server: Server;
  let url: string;
  const bodies: string[] = [];
  beforeAll(async () => {
    // A Prometheus that knows no series: every query answers an empty matrix.
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        bodies.push(`${req.method} ${req.url} ${body}`);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ status: "success", data: { resultType: "matrix", result: [] } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reads the counters through query_range and reports no data, not all good", async () => {
    const r = recordIo(ROOT);
    const code = await runCli(
      [
        "report",
        "--prometheus",
        url,
        "--at",
        "2026-10-31T12:00:00Z",
        "--service",
        "order-service",
        "--json",
      ],
      r.io,
    );
    expect(code).toBe(0);
    const doc = JSON.parse(r.out());
    expect(doc.source).toBe(`prometheus ${url}`);
    expect(doc.evaluatedAt).toBe("2026-10-31T12:00:00.000Z");
    expect(doc.summary.noData).toHaveLength(4);
    expect(bodies.every((b) => b.startsWith("POST /api/v1/query_range query="))).toBe(true);
  });

  it("refuses a URL that is not http(s), and --source with --prometheus", async () => {
    const r = recordIo(ROOT);
    expect(await runCli(["report", "--prometheus", "localhost:9090"], r.io)).toBe(2);
    expect(r.err()).toMatch(/--prometheus "localhost:9090" must be http:\/\/ or https:\/\//);
    const both = recordIo(ROOT);
    expect(await runCli(["report", "--prometheus", url, "--source", "x.csv"], both.io)).toBe(2);
    expect(both.err()).toMatch(/give one of them/);
  });
});
