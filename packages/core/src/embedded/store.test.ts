import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MetricQueryError, TimeRangeError } from "../metrics/errors.ts";
import type { MetricQuery, TimeRange } from "../metrics/source.ts";
import type { CloudWatchMetricStat } from "../spec/model.ts";
import { EmbeddedFleet } from "./fleet.ts";
import { LATENCY_BUCKETS, percentile } from "./histogram.ts";
import { EmbeddedMetricsSource } from "./store.ts";

const MIN = 60_000;
const fleet = new EmbeddedFleet({ seed: 9, days: 2 });
const source = new EmbeddedMetricsSource({ fleet });

function metric(
  metricName: string,
  stat: string,
  service = "payment-service",
  namespace = "AWS/ApplicationELB",
): CloudWatchMetricStat {
  return { kind: "metric", namespace, metricName, dimensions: { Service: service }, stat };
}

async function one(
  q: CloudWatchMetricStat | MetricQuery["query"],
  range: TimeRange,
): Promise<Float64Array> {
  const [s] = await source.fetch([{ id: "x", query: q }], range);
  return s?.values ?? new Float64Array();
}

const rangeArb = fc.record({
  perStep: fc.integer({ min: 1, max: 90 }),
  steps: fc.integer({ min: 1, max: 40 }),
  // Start anywhere from before the data to near its end, on a whole minute.
  offset: fc.integer({ min: -200, max: 2 * 1440 - 10 }),
});

describe("EmbeddedMetricsSource", () => {
  it("re-aggregates any whole-minute step exactly like brute force over 1-minute data", async () => {
    await fc.assert(
      fc.asyncProperty(rangeArb, async ({ perStep, steps, offset }) => {
        const startMs = fleet.startMs + offset * MIN;
        const range = { startMs, endMs: startMs + steps * perStep * MIN, stepMs: perStep * MIN };
        const s = fleet.service("payment-service");
        const [sum, count, tc, avg, p95, cpuMax] = await source.fetch(
          [
            { id: "sum", query: metric("RequestCount", "Sum") },
            { id: "count", query: metric("TargetResponseTime", "SampleCount") },
            { id: "tc", query: metric("TargetResponseTime", "TC(:0.25)") },
            { id: "avg", query: metric("CPUUtilization", "Average", "payment-service", "AWS/ECS") },
            { id: "p95", query: metric("TargetResponseTime", "p95") },
            {
              id: "cpuMax",
              query: metric("CPUUtilization", "Maximum", "payment-service", "AWS/ECS"),
            },
          ],
          range,
        );
        const fine = await source.fetch(
          [{ id: "tc1", query: metric("TargetResponseTime", "TC(:0.25)") }],
          { startMs, endMs: range.endMs, stepMs: MIN },
        );
        for (let i = 0; i < steps; i++) {
          let rs = 0;
          let ls = 0;
          let tcs = 0;
          let cs = 0;
          let cn = 0;
          let cmax = Number.NEGATIVE_INFINITY;
          const hist = new Float64Array(LATENCY_BUCKETS);
          for (let j = 0; j < perStep; j++) {
            const m = offset + i * perStep + j;
            if (m < 0 || m >= s.minutes) continue;
            const r = s.requestCount[m] as number;
            if (!Number.isNaN(r)) {
              rs += r;
              ls += s.latencySamples[m] as number;
              tcs += fine[0]?.values[i * perStep + j] as number;
              for (let k = 0; k < LATENCY_BUCKETS; k++)
                hist[k] = (hist[k] as number) + (s.latency[m * LATENCY_BUCKETS + k] as number);
            }
            cs += s.cpu[m] as number;
            cn++;
            cmax = Math.max(cmax, s.cpu[m] as number);
          }
          const close = (a: number, b: number) =>
            Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
          if (ls === 0) {
            if (![sum, count, tc, p95].every((x) => Number.isNaN(x?.values[i] as number)))
              return false;
          } else if (
            !close(sum?.values[i] as number, rs) ||
            !close(count?.values[i] as number, ls) ||
            !close(tc?.values[i] as number, tcs) ||
            !close(p95?.values[i] as number, percentile(hist, 95))
          ) {
            return false;
          }
          if (
            cn === 0
              ? !Number.isNaN(avg?.values[i] as number)
              : !close(avg?.values[i] as number, cs / cn) ||
                !close(cpuMax?.values[i] as number, cmax)
          ) {
            return false;
          }
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it("evaluates metric-math expressions over its own metrics", async () => {
    const range = { startMs: fleet.endMs - 60 * MIN, endMs: fleet.endMs, stepMs: 5 * MIN };
    const ratio = await one(
      {
        kind: "expression",
        expression: "(m1 + m2) / m3",
        metrics: {
          m1: metric("HTTPCode_Target_5XX_Count", "Sum"),
          m2: metric("TargetConnectionErrorCount", "Sum"),
          m3: metric("RequestCount", "Sum"),
        },
      },
      range,
    );
    const bad = await one(metric("HTTPCode_Target_5XX_Count", "Sum"), range);
    const conn = await one(metric("TargetConnectionErrorCount", "Sum"), range);
    const total = await one(metric("RequestCount", "Sum"), range);
    expect(ratio).toHaveLength(12);
    ratio.forEach((v, i) => {
      expect(v).toBeCloseTo(((bad[i] as number) + (conn[i] as number)) / (total[i] as number), 12);
    });
    // The fast-burn outage covers the last 40 minutes.
    expect(ratio[11]).toBeGreaterThan(0.2);
    expect(ratio[0]).toBeLessThan(0.01);
  });

  it("answers no data as NaN outside the generated span and in the quiet period", async () => {
    const before = await one(metric("RequestCount", "Sum"), {
      startMs: fleet.startMs - 10 * MIN,
      endMs: fleet.startMs,
      stepMs: MIN,
    });
    expect(before.every(Number.isNaN)).toBe(true);
    const quiet = await one(metric("RequestCount", "Sum", "reporting-service"), {
      startMs: fleet.endMs - 120 * MIN,
      endMs: fleet.endMs,
      stepMs: 30 * MIN,
    });
    expect([...quiet].every(Number.isNaN)).toBe(true);
    const cpu = await one(metric("CPUUtilization", "Average", "reporting-service", "AWS/ECS"), {
      startMs: fleet.endMs - 120 * MIN,
      endMs: fleet.endMs,
      stepMs: 30 * MIN,
    });
    expect([...cpu].every((v) => v > 0 && v < 20)).toBe(true);
  });

  it("rejects unknown metrics, services, stats and bad ranges with a clear error", async () => {
    const range = { startMs: fleet.endMs - 10 * MIN, endMs: fleet.endMs, stepMs: MIN };
    await expect(one(metric("RequestCnt", "Sum"), range)).rejects.toThrow(
      /unknown metric: the embedded store has AWS\/ApplicationELB: RequestCount, .*TargetResponseTime; AWS\/ECS: CPUUtilization/,
    );
    await expect(one(metric("RequestCount", "Sum", "nope"), range)).rejects.toThrow(
      /unknown service "nope"/,
    );
    await expect(one(metric("RequestCount", "p95"), range)).rejects.toThrow(
      /p95 needs a distribution/,
    );
    await expect(one(metric("RequestCount", "Median"), range)).rejects.toThrow(MetricQueryError);
    await expect(
      one(
        {
          kind: "metric",
          namespace: "AWS/ApplicationELB",
          metricName: "RequestCount",
          dimensions: { LoadBalancer: "x" },
          stat: "Sum",
        },
        range,
      ),
    ).rejects.toThrow(/keys on the single dimension Service/);
    await expect(one(metric("RequestCount", "Sum"), { ...range, stepMs: 30_000 })).rejects.toThrow(
      TimeRangeError,
    );
    await expect(
      one(metric("RequestCount", "Sum"), { ...range, startMs: range.startMs + 1 }),
    ).rejects.toThrow(TimeRangeError);
  });

  it("answers TargetResponseTime's other statistics consistently", async () => {
    const range = { startMs: fleet.endMs - 120 * MIN, endMs: fleet.endMs, stepMs: 60 * MIN };
    const [count, tcAll, tcPct, avg, mn, mx, tm, sum] = await Promise.all(
      [
        "SampleCount",
        "TC(:)",
        "TC(10%:90%)",
        "Average",
        "Minimum",
        "Maximum",
        "TM(10%:90%)",
        "Sum",
      ].map((st) => one(metric("TargetResponseTime", st, "catalog-service"), range)),
    );
    for (let i = 0; i < 2; i++) {
      const n = count?.[i] as number;
      expect(tcAll?.[i]).toBeCloseTo(n, 6);
      expect(tcPct?.[i]).toBeCloseTo(0.8 * n, 6);
      expect(mn?.[i]).toBeLessThan(avg?.[i] as number);
      expect(mx?.[i]).toBeGreaterThan(avg?.[i] as number);
      expect(tm?.[i]).toBeGreaterThan(mn?.[i] as number);
      expect(sum?.[i]).toBeCloseTo((avg?.[i] as number) * n, 6);
      // Catalog's regression pins the median near 250 ms.
      expect(avg?.[i]).toBeGreaterThan(0.2);
    }
  });
});

describe("Service Connect metrics (the mesh SLOs' source)", () => {
  const data = fleet.service("payment-service");
  const range = { startMs: data.startMs, endMs: data.startMs + 60 * MIN, stepMs: 5 * MIN };
  const mesh = (metricName: string, discovery?: string): CloudWatchMetricStat => ({
    kind: "metric",
    namespace: "AWS/ECS",
    metricName,
    dimensions: { Service: "payment-service", ...(discovery ? { DiscoveryName: discovery } : {}) },
    stat: "Sum",
  });

  it("counts the service's requests and 5xx under its own DiscoveryName", async () => {
    const [alb, ecs] = await Promise.all([
      one(metric("RequestCount", "Sum"), range),
      one(mesh("RequestCount", "payment-service"), range),
    ]);
    expect(ecs.some((v) => v > 0)).toBe(true);
    expect([...ecs]).toEqual([...alb]);
    const bad = await one(mesh("HTTPCode_Target_5XX_Count", "payment-service"), range);
    expect([...bad]).toEqual([...(await one(metric("HTTPCode_Target_5XX_Count", "Sum"), range))]);
  });

  it("refuses another service's DiscoveryName rather than answering with the wrong series", async () => {
    await expect(one(mesh("RequestCount", "order-service"), range)).rejects.toThrow(
      /keys on the single dimension Service/,
    );
  });
});
