import { resolve } from "node:path";
import type { MetricQuery, MetricSeries, MetricsSource, TimeRange } from "@slo/core/metrics";
import { loadSloFiles } from "@slo/core/spec";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { recordIo } from "../testing/record-io.ts";
import { publishedObjectives } from "./gate.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");

const recorder = () => recordIo(ROOT);

describe("slo gate on the embedded fleet", () => {
  it("blocks the service whose outage is paging and names the SLOs", async () => {
    const r = recorder();
    expect(await runCli(["gate", "--service", "payment-service"], r.io)).toBe(1);
    expect(r.out()).toMatch(/deploy of payment-service: BLOCKED/);
    expect(r.out()).toMatch(/BLOCK payment-service-availability \(availability\): a page alert/);
  });

  it("allows a slow burn with a warning, and blocks it once a reserve is required", async () => {
    const warn = recorder();
    expect(await runCli(["gate", "--service", "order-service"], warn.io)).toBe(0);
    expect(warn.out()).toMatch(/WARN {2}order-service-availability .*ticket alert/);
    const reserve = recorder();
    const code = await runCli(
      ["gate", "--service", "order-service", "--min-budget", "0.5", "--json"],
      reserve.io,
    );
    expect(code).toBe(1);
    const last = JSON.parse(reserve.out().trim().split("\n").at(-1) as string);
    expect(last).toMatchObject({ service: "order-service", allowed: false });
    expect(last.verdicts[0].reasons[0]).toMatch(/below the 50\.0% reserve/);
    // A pipeline reads stdout as one JSON document (README "Operating a stage").
    expect(reserve.out().trim().split("\n")).toHaveLength(1);
    expect(
      last.verdicts.every((v: { verdict: string }) =>
        ["pass", "warn", "block"].includes(v.verdict),
      ),
    ).toBe(true);
  });

  it("explains bad flags and exits 2", async () => {
    for (const args of [
      ["gate"],
      ["gate", "--service", "x", "--min-budget", "5"],
      ["gate", "--service", "user-service", "--block-on", "sometimes"],
      ["gate", "--service", "user-service", "--aws", "--seed", "2"],
    ]) {
      const r = recorder();
      expect(await runCli(args, r.io)).toBe(2);
      expect(r.err()).toMatch(/slo gate: /);
    }
  });
});

describe("slo gate --aws", () => {
  it("says which region or credentials setting is missing instead of calling AWS", async () => {
    const saved = { ...process.env };
    try {
      for (const k of ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE"]) {
        delete process.env[k];
      }
      process.env.AWS_CONFIG_FILE = "/nonexistent/aws-config";
      const r = recorder();
      expect(
        await runCli(["gate", "--service", "user-service", "--aws", "--stage", "dev"], r.io),
      ).toBe(1);
      expect(r.err()).toMatch(/--aws: no AWS region configured: set AWS_REGION/);
    } finally {
      process.env = saved;
    }
  });

  it("refuses to guess the stage: --stage or SLO_STAGE", async () => {
    const saved = { ...process.env };
    try {
      delete process.env.SLO_STAGE;
      const r = recorder();
      expect(await runCli(["gate", "--service", "user-service", "--aws"], r.io)).toBe(2);
      expect(r.err()).toMatch(/--stage NAME .* or set SLO_STAGE/);
      const local = recorder();
      expect(await runCli(["gate", "--service", "user-service", "--stage", "dev"], local.io)).toBe(
        2,
      );
      expect(local.err()).toMatch(/--stage applies to --aws/);
    } finally {
      process.env = saved;
    }
  });
});

describe("publishedObjectives (the --aws path)", () => {
  it("reads the newest ErrorBudgetRemaining and AlertState per SLO, null when absent", async () => {
    const { slos } = await loadSloFiles([resolve(ROOT, "slos/payment-service.yaml")]);
    const asked: MetricQuery[] = [];
    // Published metrics as CloudWatch would return them: gaps are NaN.
    const source: MetricsSource = {
      name: "fake",
      async fetch(queries: readonly MetricQuery[], range: TimeRange): Promise<MetricSeries[]> {
        asked.push(...queries);
        const n = (range.endMs - range.startMs) / range.stepMs;
        return queries.map((q) => {
          const values = new Float64Array(n).fill(Number.NaN);
          const dims = q.query.kind === "metric" ? q.query.dimensions : {};
          // Another stage in the same account published a healthy budget: never read it.
          if (dims.SLO === "payment-service-availability" && dims.Stage === "staging") {
            values[n - 1] =
              q.query.kind === "metric" && q.query.metricName === "AlertState" ? 0 : 1;
          }
          if (
            dims.SLO === "payment-service-availability" &&
            dims.Stage === "production" &&
            q.query.kind === "metric"
          ) {
            values[n - 2] = q.query.metricName === "AlertState" ? 2 : 0.31;
          }
          return { id: q.id, values, complete: true };
        });
      },
    };
    const rows = await publishedObjectives(
      slos,
      source,
      Date.UTC(2026, 10, 27, 12, 3),
      "production",
    );
    expect(asked).toHaveLength(2 * 4);
    for (const q of asked) {
      expect(q.query.kind === "metric" && q.query.dimensions.Stage).toBe("production");
    }
    expect(rows.find((r) => r.slo === "payment-service-availability")).toMatchObject({
      budgetRemaining: 0.31,
      firing: "page",
    });
    expect(rows.find((r) => r.slo === "payment-service-error-rate")).toMatchObject({
      budgetRemaining: null,
      firing: null,
    });
  });
});
