import { EMBEDDED_FLEET_END_MS, EmbeddedMetricsSource } from "@slo/core/embedded";
import { openMetricsChunks } from "@slo/core/export";
import {
  canonicalStat,
  type FileSeries,
  type MetricQuery,
  planSloQueries,
} from "@slo/core/metrics";
import { computeSloReports, requiredLookbackMs } from "@slo/core/pipeline";
import type { CloudWatchMetricStat } from "@slo/core/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFleetSlos } from "../../../core/testing/fleet-slos.ts";
import { PrometheusMetricsSource, PrometheusQueryError } from "./source.ts";
import { prometheusMissing, type RunningPrometheus, startPrometheus } from "./testing.ts";

const STEP = 60_000;
// The fast-burn outage and the quiet period (gaps: no data, not zero) of the embedded fleet.
const SERVICES = ["payment-service", "reporting-service"];
const missing = prometheusMissing();
if (missing) console.warn(`skipping Prometheus source tests: ${missing}`);

/**
 * Every number in `a` equals the one at the same place in `b` to 1e-9 (relative above
 * 1: a time to exhaustion of 1.1e10 ms carries float noise of 1e-2 ms); the rest is equal.
 */
function expectClose(a: unknown, b: unknown, where = "$"): void {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) expect(Number.isNaN(a), where).toBe(Number.isNaN(b));
    else {
      const tolerance = 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
      expect(Math.abs(a - b), `${where}: ${a} vs ${b}`).toBeLessThanOrEqual(tolerance);
    }
    return;
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    expect(Object.keys(a).sort(), where).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a)) {
      expectClose(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${where}.${k}`,
      );
    }
    return;
  }
  expect(a, where).toEqual(b);
}

describe.skipIf(missing !== undefined)("PrometheusMetricsSource on a real Prometheus", () => {
  let prom: RunningPrometheus;
  let slos: Awaited<ReturnType<typeof loadFleetSlos>>;
  const embedded = new EmbeddedMetricsSource({ seed: 1 });
  const startMs = () => EMBEDDED_FLEET_END_MS - requiredLookbackMs(slos);

  beforeAll(async () => {
    slos = (await loadFleetSlos()).filter((s) => SERVICES.includes(s.service));
    const metrics = new Map<string, CloudWatchMetricStat>();
    for (const { query } of planSloQueries(slos, STEP).queries) {
      for (const m of query.kind === "metric" ? [query] : Object.values(query.metrics)) {
        metrics.set(JSON.stringify([m.namespace, m.metricName, m.dimensions, m.stat]), m);
      }
    }
    const list = [...metrics.values()];
    const range = { startMs: startMs(), endMs: EMBEDDED_FLEET_END_MS, stepMs: STEP };
    const queries: MetricQuery[] = list.map((m, i) => ({ id: `m${i}`, query: m }));
    const fetched = await embedded.fetch(queries, range);
    const steps = (range.endMs - range.startMs) / STEP;
    const timesMs = Float64Array.from({ length: steps }, (_, i) => range.startMs + i * STEP);
    const series: FileSeries[] = list.map((m, i) => ({
      ...m,
      stat: canonicalStat(m.stat),
      timesMs,
      values: fetched.find((f) => f.id === `m${i}`)?.values ?? new Float64Array(steps),
    }));
    prom = await startPrometheus(openMetricsChunks(series, STEP));
  }, 600_000);

  afterAll(async () => {
    await prom?.stop();
  });

  it("gives the same SLIs, budgets, burn rates and alerts as the embedded store (1e-9)", async () => {
    const source = new PrometheusMetricsSource({ url: prom.url, maxPointsPerRequest: 11_000 });
    const input = { slos, nowMs: EMBEDDED_FLEET_END_MS, stepMs: STEP };
    const fromProm = await computeSloReports({ ...input, source });
    const fromEmbedded = await computeSloReports({ ...input, source: embedded });
    expect(fromProm.failures).toEqual([]);
    // payment-service x 5 (its mesh SLO included) + reporting-service x 4.
    expect(fromProm.reports).toHaveLength(9);
    expectClose(fromProm.reports, fromEmbedded.reports);
    // The incidents are there: payment pages, reporting's short windows have no data.
    const alerts = fromProm.reports.flatMap((r) =>
      r.objectives.flatMap((o) => o.alerts.map((a) => `${r.slo}:${a.tier}:${a.state}`)),
    );
    expect(alerts).toContain("payment-service-availability:page-fast:firing");
    expect(alerts).toContain("reporting-service-availability:page-fast:no_data");
    // 14 counters (6 per service, plus the mesh SLO's two Service Connect counters) x
    // ceil(points / 11,000) chunks, and nothing more.
    const points = requiredLookbackMs(slos) / STEP + 1;
    expect(source.requests).toBe(14 * Math.ceil(points / 11_000));
  }, 300_000);

  it("reads gaps as no data, whatever the chunk size", async () => {
    // Six hours straddle the quiet period; 997-point chunks must not change the answer.
    const source = new PrometheusMetricsSource({ url: prom.url, maxPointsPerRequest: 997 });
    const range = {
      startMs: EMBEDDED_FLEET_END_MS - 6 * 3_600_000,
      endMs: EMBEDDED_FLEET_END_MS,
      stepMs: STEP,
    };
    const query: MetricQuery = {
      id: "q",
      query: {
        kind: "metric",
        namespace: "AWS/ApplicationELB",
        metricName: "RequestCount",
        dimensions: { Service: "reporting-service" },
        stat: "Sum",
      },
    };
    const [fromProm] = await source.fetch([query], range);
    const [fromEmbedded] = await embedded.fetch([query], range);
    expect(Array.from(fromProm?.values ?? [])).toEqual(Array.from(fromEmbedded?.values ?? []));
    expect(fromProm?.values.some(Number.isNaN)).toBe(true);
  }, 120_000);

  it("names the server and the fix when the URL is wrong", async () => {
    const source = new PrometheusMetricsSource({ url: `${prom.url}/api/v1` });
    const range = {
      startMs: EMBEDDED_FLEET_END_MS - 3_600_000,
      endMs: EMBEDDED_FLEET_END_MS,
      stepMs: STEP,
    };
    const query: MetricQuery = {
      id: "q",
      query: {
        kind: "metric",
        namespace: "AWS/ApplicationELB",
        metricName: "RequestCount",
        dimensions: {},
        stat: "Sum",
      },
    };
    await expect(source.fetch([query], range)).rejects.toThrow(PrometheusQueryError);
  });
});
