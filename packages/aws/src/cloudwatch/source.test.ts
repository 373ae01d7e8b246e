import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { planSloQueries } from "@slo/core/metrics";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { loadFleetSlos } from "../../../core/testing/fleet-slos.ts";
import { CLOUDWATCH_ID, fakeGetMetricData } from "../../testing/fake-cloudwatch.ts";
import { AwsCallError, CloudWatchQueryError } from "../errors.ts";
import type { DimensionResolver } from "./dimensions.ts";
import { CloudWatchMetricsSource } from "./source.ts";

const cw = mockClient(CloudWatchClient);
const NOW = Date.UTC(2026, 10, 20, 12, 0);
const STEP = 300_000;
const DAY = 86_400_000;

function inputs(): GetMetricDataCommandInput[] {
  return cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
}
function metricStats(i: GetMetricDataCommandInput): MetricDataQuery[] {
  return (i.MetricDataQueries ?? []).filter((q) => q.MetricStat);
}
const source = (extra: { dimensions?: DimensionResolver } = {}) =>
  new CloudWatchMetricsSource({
    client: new CloudWatchClient({ region: "us-east-1" }),
    now: () => NOW,
    ...extra,
  });

const metric = (name: string, stat = "Sum", service = "svc") => ({
  kind: "metric" as const,
  namespace: "AWS/ApplicationELB",
  metricName: name,
  dimensions: { TargetGroup: `targetgroup/${service}/1`, LoadBalancer: "app/lb/1" },
  stat,
});

beforeEach(() => {
  cw.reset();
});

describe("CloudWatchMetricsSource batching", () => {
  it("fetches the 41 fleet SLOs' deduplicated queries in one call of 62 metrics", async () => {
    cw.on(GetMetricDataCommand).callsFake(fakeGetMetricData(() => 1));
    const plan = planSloQueries(await loadFleetSlos(), STEP);
    const src = source({ dimensions: { resolve: async (m) => ({ ...m.dimensions }) } });
    const series = await src.fetch(plan.queries, {
      startMs: NOW - 3 * STEP,
      endMs: NOW,
      stepMs: STEP,
    });
    expect(series).toHaveLength(plan.queries.length);
    const calls = inputs();
    expect(calls).toHaveLength(1);
    // Per service: RequestCount, 5XX, connection errors, SampleCount, TC(:0.25), TC(:0.5).
    // The mesh SLO adds Service Connect RequestCount and HTTPCode_Target_5XX_Count (AWS/ECS).
    expect(metricStats(calls[0] as GetMetricDataCommandInput)).toHaveLength(62);
    expect(src.stats).toMatchObject({ calls: 1, metricsRequested: 62 });
    for (const q of calls[0]?.MetricDataQueries ?? []) expect(q.Id).toMatch(CLOUDWATCH_ID);
    expect(series.every((s) => s.complete && s.values.length === 3)).toBe(true);
  });

  it("splits a 30-day backfill so no call exceeds 100,800 data points or 500 queries", async () => {
    cw.on(GetMetricDataCommand).callsFake(fakeGetMetricData(() => 2));
    const plan = planSloQueries(await loadFleetSlos(), STEP);
    const src = source();
    const range = { startMs: NOW - 30 * DAY, endMs: NOW, stepMs: STEP };
    const series = await src.fetch(plan.queries, range);
    const steps = (30 * DAY) / STEP;
    const calls = inputs();
    for (const c of calls) {
      expect((c.MetricDataQueries ?? []).length * steps).toBeLessThanOrEqual(100_800);
      expect((c.MetricDataQueries ?? []).length).toBeLessThanOrEqual(500);
    }
    // 72 entries (62 metrics + 10 expressions) of 8,640 points: 11 per call -> 7 calls.
    expect(calls).toHaveLength(7);
    expect(src.stats.metricsRequested).toBe(62);
    expect(series.every((s) => s.values.every((v) => v === 2 || v === 4))).toBe(true);
  });

  it("packs 1,200 distinct metrics into calls of at most 500 queries", async () => {
    cw.on(GetMetricDataCommand).callsFake(fakeGetMetricData(() => 3));
    const queries = Array.from({ length: 1_200 }, (_, i) => ({
      id: `Q-${i}`,
      query: metric("RequestCount", "Sum", `s${i}`),
    }));
    const series = await source().fetch(queries, {
      startMs: NOW - 2 * STEP,
      endMs: NOW,
      stepMs: STEP,
    });
    expect(inputs().map((c) => c.MetricDataQueries?.length)).toEqual([500, 500, 200]);
    expect(series.map((s) => s.id)).toEqual(queries.map((q) => q.id));
    expect(series.every((s) => s.values[0] === 3)).toBe(true);
  });

  it("sends an expression with hidden inputs and shares a metric the caller also asks for", async () => {
    cw.on(GetMetricDataCommand).callsFake(
      fakeGetMetricData((q) =>
        q.MetricStat?.Metric?.MetricName === "HTTPCode_Target_5XX_Count" ? 2 : 5,
      ),
    );
    const series = await source().fetch(
      [
        {
          id: "bad availability",
          query: {
            kind: "expression",
            expression: "m1 + m2",
            metrics: {
              m1: metric("HTTPCode_Target_5XX_Count"),
              m2: metric("TargetConnectionErrorCount"),
            },
          },
        },
        { id: "5xx", query: metric("HTTPCode_Target_5XX_Count") },
      ],
      { startMs: NOW - STEP, endMs: NOW, stepMs: STEP },
    );
    const [call] = inputs();
    const qs = call?.MetricDataQueries ?? [];
    expect(qs).toHaveLength(3);
    const expr = qs.find((q) => q.Expression);
    expect(expr?.Expression).toMatch(/^m\d+ \+ m\d+$/);
    const fiveXx = qs.find((q) => q.MetricStat?.Metric?.MetricName === "HTTPCode_Target_5XX_Count");
    const conn = qs.find((q) => q.MetricStat?.Metric?.MetricName === "TargetConnectionErrorCount");
    expect(fiveXx?.ReturnData).toBe(true);
    expect(conn?.ReturnData).toBe(false);
    expect(series.find((s) => s.id === "bad availability")?.values[0]).toBe(7);
    expect(series.find((s) => s.id === "5xx")?.values[0]).toBe(2);
  });
});

describe("CloudWatchMetricsSource results", () => {
  it("follows NextToken and merges pages onto the grid", async () => {
    cw.on(GetMetricDataCommand).callsFake(fakeGetMetricData((_q, t) => t / STEP, 4));
    const range = { startMs: NOW - 10 * STEP, endMs: NOW, stepMs: STEP };
    const [s] = await source().fetch([{ id: "a", query: metric("RequestCount") }], range);
    expect(inputs().map((c) => c.NextToken)).toEqual([undefined, "4", "8"]);
    expect(Array.from(s?.values ?? [])).toEqual(
      Array.from({ length: 10 }, (_, i) => (range.startMs + i * STEP) / STEP),
    );
    expect(s?.complete).toBe(true);
  });

  it("marks a query whose final page is PartialData incomplete and surfaces Messages", async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: "m0",
          Timestamps: [new Date(NOW - 2 * STEP)],
          Values: [4],
          StatusCode: "PartialData",
          Messages: [{ Code: "MaxMetricsExceeded", Value: "too many" }],
        },
      ],
      Messages: [{ Code: "ArithmeticError", Value: "division by zero" }],
    });
    const [s] = await source().fetch([{ id: "a", query: metric("RequestCount") }], {
      startMs: NOW - 3 * STEP,
      endMs: NOW,
      stepMs: STEP,
    });
    expect(s?.complete).toBe(false);
    expect(Array.from(s?.values ?? [])).toEqual([Number.NaN, 4, Number.NaN]);
    expect(s?.messages).toEqual([
      "ArithmeticError: division by zero",
      "MaxMetricsExceeded: too many",
      "GetMetricData returned StatusCode PartialData for this query",
    ]);
  });

  it("isolates a failed call: its queries come back incomplete, the others complete", async () => {
    const queries = Array.from({ length: 600 }, (_, i) => ({
      id: `q${i}`,
      query: metric("RequestCount", "Sum", `s${i}`),
    }));
    let n = 0;
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      if (n++ === 0)
        throw Object.assign(new Error("Rate exceeded"), {
          name: "Throttling",
          $metadata: { attempts: 4 },
        });
      return fakeGetMetricData(() => 1)(input);
    });
    const series = await source().fetch(queries, { startMs: NOW - STEP, endMs: NOW, stepMs: STEP });
    const bad = series.filter((s) => !s.complete);
    expect(bad).toHaveLength(500);
    expect(bad[0]?.messages[0]).toMatch(
      /GetMetricData failed: Throttling: Rate exceeded \(4 attempts\)/,
    );
    expect(series.filter((s) => s.complete)).toHaveLength(100);
  });

  it("throws AwsCallError when every call fails", async () => {
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error("denied"), { name: "AccessDenied" }),
    );
    await expect(
      source().fetch([{ id: "a", query: metric("RequestCount") }], {
        startMs: NOW - STEP,
        endMs: NOW,
        stepMs: STEP,
      }),
    ).rejects.toBeInstanceOf(AwsCallError);
  });

  it("returns an unresolvable service as incomplete NaN without failing the rest", async () => {
    const { DiscoveryError } = await import("../errors.ts");
    cw.on(GetMetricDataCommand).callsFake(fakeGetMetricData(() => 1));
    const dims: DimensionResolver = {
      resolve: async (m) => {
        if (m.dimensions.Service === "ghost")
          throw new DiscoveryError('ECS service "ghost" is not in cluster');
        return m.dimensions;
      },
    };
    const q = (id: string, service: string) => ({
      id,
      query: {
        kind: "metric" as const,
        namespace: "X",
        metricName: "Y",
        dimensions: { Service: service },
        stat: "Sum",
      },
    });
    const [a, b] = await source({ dimensions: dims }).fetch([q("a", "ghost"), q("b", "real")], {
      startMs: NOW - STEP,
      endMs: NOW,
      stepMs: STEP,
    });
    expect(a?.complete).toBe(false);
    expect(a?.messages[0]).toMatch(/ghost/);
    expect(Number.isNaN(a?.values[0])).toBe(true);
    expect(b).toMatchObject({ complete: true });
  });

  it("rejects a 1-minute step for data older than 15 days with a clear error", async () => {
    await expect(
      source().fetch([{ id: "a", query: metric("RequestCount") }], {
        startMs: NOW - 20 * DAY,
        endMs: NOW,
        stepMs: 60_000,
      }),
    ).rejects.toThrow(CloudWatchQueryError);
    expect(inputs()).toHaveLength(0);
  });
});
