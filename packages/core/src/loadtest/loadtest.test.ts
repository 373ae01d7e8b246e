import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadSloFiles } from "../spec/load.ts";
import { constantPlan, LoadPlanError, replayPlan } from "./schedule.ts";
import { evaluateLoadSlos } from "./slo.ts";
import { errorClass, percentile, type RequestSample, summariseRun } from "./summary.ts";

const trace = (values: number[], stepMs = 300_000) => ({
  startMs: Date.UTC(2026, 0, 1),
  stepMs,
  values: Float64Array.from(values),
});

describe("replayPlan", () => {
  it("maps 5-minute steps at speedup 60 to 5 s slices, peak scaled to maxRps", () => {
    const plan = replayPlan(trace([10, 20, 40, 20]), {
      durationMs: 60_000,
      speedup: 60,
      maxRps: 200,
    });
    expect(plan.intervals.map((i) => [i.startMs, i.durationMs, i.rps])).toEqual([
      [0, 5000, 50],
      [5000, 5000, 100],
      [10_000, 5000, 200],
      [15_000, 5000, 100],
    ]);
    expect(plan.durationMs).toBe(20_000);
    expect(plan.offeredRequests).toBe(2250);
  });

  it("merges steps shorter than a second of run time and carries values over gaps", () => {
    const plan = replayPlan(trace([10, Number.NaN, 30, 30], 60_000), {
      durationMs: 10_000,
      speedup: 120,
      maxRps: 30,
    });
    // 1-minute steps at 120x = 0.5 s each: two steps per 1 s slice; NaN replays 10
    expect(plan.intervals.map((i) => i.rps)).toEqual([10, 30]);
  });

  it("cuts long slices into report rows of at most maxSliceMs at the same rate", () => {
    // 30-minute steps at 60x: 30 s per step, cut into 5 s rows
    const plan = replayPlan(trace([10, 20], 1_800_000), {
      durationMs: 60_000,
      speedup: 60,
      maxRps: 100,
      maxSliceMs: 5000,
    });
    expect(plan.intervals).toHaveLength(12);
    expect(plan.intervals.map((i) => i.rps)).toEqual([...Array(6).fill(50), ...Array(6).fill(100)]);
    expect(plan.intervals[1]).toMatchObject({
      startMs: 5000,
      durationMs: 5000,
      traceStartMs: Date.UTC(2026, 0, 1) + 300_000,
    });
    expect(plan.offeredRequests).toBe(4500);
  });

  it("refuses a trace without load and bad bounds", () => {
    expect(() =>
      replayPlan(trace([0, Number.NaN]), { durationMs: 5000, speedup: 60, maxRps: 10 }),
    ).toThrow(LoadPlanError);
    expect(() => replayPlan(trace([1]), { durationMs: 500, speedup: 60, maxRps: 10 })).toThrow(
      /at least 1 s/,
    );
    expect(() => replayPlan(trace([1]), { durationMs: 5000, speedup: 0, maxRps: 10 })).toThrow(
      /speedup/,
    );
  });

  it("never offers more than maxRps, never runs past the duration, and reaches the peak", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 5000 }),
        (values, seconds, speedup, maxRps) => {
          if (!values.some((v) => v > 0)) return;
          let plan: ReturnType<typeof replayPlan>;
          try {
            plan = replayPlan(trace(values), { durationMs: seconds * 1000, speedup, maxRps });
          } catch (e) {
            // a short window can hold only zero-load steps
            expect(e).toBeInstanceOf(LoadPlanError);
            return;
          }
          expect(plan.durationMs).toBeLessThanOrEqual(seconds * 1000);
          expect(plan.peakRps).toBe(maxRps);
          for (const i of plan.intervals) {
            expect(i.rps).toBeGreaterThanOrEqual(0);
            expect(i.rps).toBeLessThanOrEqual(maxRps);
          }
        },
      ),
    );
  });
});

describe("summariseRun", () => {
  const plan = constantPlan({ rps: 10, durationMs: 4000, intervalMs: 2000 });
  const samples: RequestSample[] = [
    ...Array.from({ length: 20 }, (_, k) => ({ atMs: k * 100, latencyMs: k + 1, outcome: 200 })),
    { atMs: 2500, latencyMs: 5, outcome: 503 },
    { atMs: 2600, latencyMs: 1000, outcome: "timeout" as const },
    { atMs: 2700, latencyMs: 1, outcome: "connection" as const },
    { atMs: 2800, latencyMs: 2, outcome: 404 },
  ];

  it("counts offered vs achieved rate, percentiles and errors by class per slice", () => {
    const s = summariseRun(plan, samples, 4000);
    expect(s.intervals).toHaveLength(2);
    expect(s.intervals[0]).toMatchObject({
      offeredRps: 10,
      achievedRps: 10,
      requests: 20,
      p50Ms: 10,
      p99Ms: 20,
    });
    expect(s.intervals[1]?.errors).toEqual({ "4xx": 1, "5xx": 1, timeout: 1, connection: 1 });
    // achieved counts answered requests only: the timeout and the refused connection are not throughput
    expect(s.total).toMatchObject({ requests: 24, offeredRps: 10, achievedRps: 5.5 });
  });

  it("cuts the plan where an interrupted run stopped", () => {
    const s = summariseRun(plan, samples.slice(0, 20), 1500);
    expect(s.intervals).toHaveLength(1);
    expect(s.intervals[0]).toMatchObject({ durationMs: 1500, offeredRps: 10 });
    expect(s.total.durationMs).toBe(1500);
  });

  it("classifies errors and takes nearest-rank percentiles", () => {
    expect([200, 302, 404, 500, "timeout", "connection"].map((o) => errorClass(o as 200))).toEqual([
      null,
      null,
      "4xx",
      "5xx",
      "timeout",
      "connection",
    ]);
    expect(percentile(new Float64Array(0), 0.5)).toBeNull();
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, q) => {
          const sorted = Float64Array.from(xs).sort();
          const p = percentile(sorted, q) as number;
          expect(xs).toContain(p);
          expect(xs.filter((x) => x <= p).length / xs.length).toBeGreaterThanOrEqual(q);
        },
      ),
    );
  });
});

describe("evaluateLoadSlos", () => {
  it("judges the fleet's availability and latency SLOs and says from when the load breaks them", async () => {
    const { slos } = await loadSloFiles([
      new URL("../../../../slos/payment-service.yaml", import.meta.url).pathname,
    ]);
    const plan = constantPlan({ rps: 200, durationMs: 20_000, intervalMs: 5000 });
    // 5 s slices of 200 req/s: the third slice turns slow (600 ms), the fourth also fails 10 %
    const samples: RequestSample[] = [];
    for (let k = 0; k < 4000; k++) {
      const atMs = k * 5;
      const slow = atMs >= 10_000;
      const failing = atMs >= 15_000 && k % 10 === 0;
      samples.push({ atMs, latencyMs: slow ? 600 : 20, outcome: failing ? 500 : 200 });
    }
    const results = evaluateLoadSlos(slos, plan, samples, 20_000);
    const by = (name: string) => results.find((r) => r.slo === name);
    expect(by("payment-service-availability")).toMatchObject({
      breaksFromMs: 15_000,
      met: false,
      sli: 0.975,
    });
    expect(by("payment-service-latency-p99")).toMatchObject({ breaksFromMs: 10_000, met: false });
    expect(by("payment-service-latency-p99")?.burnRate).toBeCloseTo(0.5 / 0.01, 6);
    const avail = by("payment-service-availability");
    expect(avail?.perSecond.total.reduce((a, b) => a + b, 0)).toBe(4000);
    expect(avail?.intervals.map((i) => i.sli)).toEqual([1, 1, 1, 0.9]);
  });

  it("treats a slice under the SLO's minEvents as no data, and a quiet run as met", async () => {
    const { slos } = await loadSloFiles([
      new URL("../../../../slos/payment-service.yaml", import.meta.url).pathname,
    ]);
    const plan = constantPlan({ rps: 1, durationMs: 10_000, intervalMs: 5000 });
    const samples = [{ atMs: 100, latencyMs: 5000, outcome: 500 }];
    const results = evaluateLoadSlos(slos, plan, samples, 10_000);
    for (const r of results.filter((x) => !x.skipped)) {
      expect(r.breaksFromMs).toBeNull();
      expect(r.intervals.every((i) => i.sli === null)).toBe(true);
    }
  });
});
