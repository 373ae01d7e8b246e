import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CountSeries } from "../metrics/source.ts";
import { SloEvaluationError, SloWindowError } from "./errors.ts";
import { EvaluationScratch, evaluateSlo } from "./evaluate.ts";
import { countsOf, DAY, HOUR, MINUTE, makeCounts, makeDefinition } from "./test-fixtures.ts";

const STEP = 5 * MINUTE;
const STEPS = (30 * DAY) / STEP;
const START = Date.UTC(2026, 9, 1);
const NOW = START + STEPS * STEP;

/** 1000 requests per 5 minutes for 30 days, `bad(i)` of them failing. */
const series = (bad: (i: number) => number = () => 0, total: (i: number) => number = () => 1000) =>
  makeCounts(START, STEP, STEPS, total, bad);

describe("evaluateSlo: Occurrences over a 30-day rolling window", () => {
  it("computes SLI, compliance, budget in events and minutes, and the chart series", () => {
    // 0.05 % errors everywhere: half the budget spent, burning at 0.5.
    const r = evaluateSlo(makeDefinition(), [series((i) => (i % 2 === 0 ? 1 : 0))], NOW);
    const o = r.objectives[0];
    if (o === undefined) throw new Error("no objective");
    expect(r.status).toBe("ok");
    expect([r.windowStartMs, r.windowEndMs, r.evaluatedAtMs]).toEqual([START, NOW, NOW]);
    expect(o.total).toBe(STEPS * 1000);
    expect(o.good).toBe(STEPS * 1000 - STEPS / 2);
    expect(o.sli).toBeCloseTo(0.9995, 12);
    expect(o.compliant).toBe(true);
    expect(o.errorBudget.allowed).toBeCloseTo(0.001 * STEPS * 1000, 6);
    expect(o.errorBudget.consumed).toBe(STEPS / 2);
    expect(o.errorBudget.remainingFraction).toBeCloseTo(0.5, 9);
    expect(o.errorBudget.allowedMinutes).toBeCloseTo(43.2, 9);
    expect(o.errorBudget.consumedMinutes).toBeCloseTo(21.6, 9);
    expect(o.errorBudget.remainingMinutes).toBeCloseTo(21.6, 9);
    expect(o.currentBurnRate).toBeCloseTo(0.5, 9);
    // Half the budget left at half the on-budget speed: one whole period.
    expect(o.timeToExhaustionMs).toBeCloseTo(30 * DAY, 0);
    expect(o.alerts.map((a) => a.state)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(o.budgetHistory).toHaveLength(100);
    expect(o.budgetHistory.at(-1)).toEqual({
      atMs: NOW,
      remainingFraction: o.errorBudget.remainingFraction,
    });
    expect(o.budgetHistory[49]?.remainingFraction).toBeCloseTo(0.75, 9);
    expect(o.sliHistory).toHaveLength(30);
    expect(o.sliHistory[0]?.startMs).toBe(START);
    expect(o.burnRates.map((b) => b.windowMs)).toEqual([
      5 * MINUTE,
      30 * MINUTE,
      HOUR,
      2 * HOUR,
      6 * HOUR,
      DAY,
      3 * DAY,
    ]);
    expect(o.calendarHistory).toEqual([]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("reports an overspent budget as negative with zero time left, and pages", () => {
    // 20 % errors over the last 2 hours: 4,800 bad events of the 8,640 allowed.
    const r = evaluateSlo(makeDefinition(), [series((i) => (i >= STEPS - 24 ? 200 : 0))], NOW);
    const o = r.objectives[0];
    expect(o?.compliant).toBe(true);
    expect(o?.errorBudget.remainingFraction).toBeCloseTo(1 - 4800 / 8640, 9);
    expect(o?.timeToExhaustionMs).toBeCloseTo(((1 - 4800 / 8640) * 30 * DAY) / 200, 0);
    expect(o?.alerts.map((a) => a.state)).toEqual([
      "firing",
      "suppressed",
      "suppressed",
      "suppressed",
    ]);
    const spent = evaluateSlo(makeDefinition(), [series((i) => (i >= STEPS - 48 ? 200 : 0))], NOW);
    expect(spent.objectives[0]?.compliant).toBe(false);
    expect(spent.objectives[0]?.errorBudget.remainingFraction as number).toBeLessThan(0);
    expect(spent.objectives[0]?.timeToExhaustionMs).toBe(0);
  });

  it("treats a window without events as no data, not 100 % good", () => {
    for (const c of [
      series(
        () => 0,
        () => Number.NaN,
      ),
      series(
        () => 0,
        () => 0,
      ),
      makeCounts(START - 60 * DAY, STEP, 100, () => 1000), // data only long before the window
    ]) {
      const r = evaluateSlo(makeDefinition(), [c], NOW);
      const o = r.objectives[0];
      expect(r.status).toBe("no_data");
      expect(o?.sli).toBeNull();
      expect(o?.compliant).toBeNull();
      expect(o?.errorBudget.remainingFraction).toBeNull();
      expect(o?.currentBurnRate).toBeNull();
      expect(o?.timeToExhaustionMs).toBeNull();
      expect(o?.alerts.every((a) => a.state === "no_data")).toBe(true);
      expect(o?.budgetHistory.every((p) => p.remainingFraction === null)).toBe(true);
      expect(o?.sliHistory.every((d) => d.sli === null)).toBe(true);
    }
  });

  it("marks only the days without data as null", () => {
    const day = DAY / STEP;
    const r = evaluateSlo(
      makeDefinition(),
      [
        series(
          () => 0,
          (i) => (i >= 3 * day && i < 4 * day ? Number.NaN : 1000),
        ),
      ],
      NOW,
    );
    const slis = r.objectives[0]?.sliHistory.map((d) => d.sli);
    expect(slis?.[3]).toBeNull();
    expect(slis?.filter((s) => s === 1)).toHaveLength(29);
  });

  it("removes exclusion windows from good and total", () => {
    const incident = (i: number) => (i >= 100 && i < 112 ? 1000 : 0);
    const excluded = makeDefinition({
      exclusions: [
        { startMs: START + 100 * STEP, endMs: START + 112 * STEP, reason: "db upgrade" },
      ],
    });
    const r = evaluateSlo(excluded, [series(incident)], NOW).objectives[0];
    expect(r?.sli).toBe(1);
    expect(r?.total).toBe((STEPS - 12) * 1000);
    expect(evaluateSlo(makeDefinition(), [series(incident)], NOW).objectives[0]?.sli).toBeCloseTo(
      1 - 12_000 / (STEPS * 1000),
      12,
    );
  });

  it("ignores steps at or after the evaluation time", () => {
    const r = evaluateSlo(
      makeDefinition(),
      [series((i) => (i >= STEPS - 12 ? 1000 : 0))],
      NOW - HOUR,
    );
    expect(r.objectives[0]?.sli).toBe(1);
    expect(r.windowStartMs).toBe(START - HOUR);
  });

  it("keeps budget consumption monotone in bad events", () => {
    const base = series((i) => (i % 7 === 0 ? 2 : 0));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: STEPS - 1 }),
        fc.integer({ min: 1, max: 900 }),
        (at, extra) => {
          const worse: CountSeries = { ...base, good: base.good.slice() };
          worse.good[at] = (worse.good[at] as number) - extra;
          const a = evaluateSlo(makeDefinition(), [base], NOW).objectives[0];
          const b = evaluateSlo(makeDefinition(), [worse], NOW).objectives[0];
          expect(b?.errorBudget.consumed).toBeGreaterThan(a?.errorBudget.consumed as number);
          expect(b?.errorBudget.remainingFraction as number).toBeLessThan(
            a?.errorBudget.remainingFraction as number,
          );
          expect(b?.errorBudget.consumedMinutes).toBeGreaterThan(
            a?.errorBudget.consumedMinutes as number,
          );
          b?.budgetHistory.forEach((p, i) => {
            expect(p.remainingFraction as number).toBeLessThanOrEqual(
              (a?.budgetHistory[i]?.remainingFraction as number) + 1e-12,
            );
            if (i > 0) {
              expect(p.remainingFraction as number).toBeLessThanOrEqual(
                (b.budgetHistory[i - 1]?.remainingFraction as number) + 1e-12,
              );
            }
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it("uses the definition's own alert tiers and guard", () => {
    const def = makeDefinition({
      minEvents: 1_000_000,
      alertTiers: [
        {
          name: "only",
          severity: "page",
          longWindowMs: 2 * HOUR,
          shortWindowMs: 10 * MINUTE,
          budgetFraction: 0.02,
          burnRateThreshold: 7.2,
        },
      ],
    });
    const o = evaluateSlo(def, [series(() => 500)], NOW).objectives[0];
    expect(o?.alerts.map((a) => [a.tier, a.state])).toEqual([["only", "insufficient_data"]]);
    expect(o?.burnRates.map((b) => b.windowMs)).toEqual([10 * MINUTE, 2 * HOUR]);
  });

  it("evaluates several objectives, each from its own series", () => {
    const def = makeDefinition({
      indicator: {
        type: "threshold",
        metric: {
          kind: "metric",
          namespace: "AWS/ApplicationELB",
          metricName: "TargetResponseTime",
          dimensions: { Service: "user-service" },
          stat: "p95",
        },
      },
      objectives: [
        { name: "p95", target: 0.95, op: "lte", value: 0.25 },
        { name: "p99", target: 0.99, op: "lte", value: 0.5 },
      ],
    });
    const r = evaluateSlo(def, [series(() => 40), series(() => 5)], NOW);
    expect(r.objectives.map((o) => [o.name, o.op, o.value, o.compliant])).toEqual([
      ["p95", "lte", 0.25, true],
      ["p99", "lte", 0.5, true],
    ]);
    expect(r.objectives[0]?.sli).toBeCloseTo(0.96, 12);
    expect(r.objectives[1]?.sli).toBeCloseTo(0.995, 12);
  });

  it("rejects inputs that do not fit the definition, naming the file and the fix", () => {
    const def = makeDefinition();
    expect(() => evaluateSlo(def, [], NOW)).toThrow(SloEvaluationError);
    expect(() => evaluateSlo(def, [], NOW)).toThrow(
      /slos\/user-service\.yaml:3.*one CountSeries per entry/,
    );
    const two = makeDefinition({
      objectives: [
        { name: "a", target: 0.9 },
        { name: "b", target: 0.99 },
      ],
    });
    expect(() =>
      evaluateSlo(two, [series(), makeCounts(START + STEP, STEP, STEPS, () => 1)], NOW),
    ).toThrow(/same range and step/);
    expect(() =>
      evaluateSlo(makeDefinition({ objective: { target: 1 } }), [series()], NOW),
    ).toThrow(/objectives\[0\]\.target/);
    expect(() => evaluateSlo(def, [series()], Number.NaN)).toThrow(SloEvaluationError);
    const badZone = makeDefinition({
      timeWindow: {
        type: "calendar",
        unit: "Month",
        count: 1,
        startTimeMs: START,
        timeZone: "Nowhere/Land",
      },
    });
    expect(() => evaluateSlo(badZone, [series()], NOW)).toThrow(SloWindowError);
    expect(() => evaluateSlo(badZone, [series()], NOW)).toThrow(/user-service\.yaml:3.*IANA/);
  });
});

describe("evaluateSlo: Timeslices and RatioTimeslices", () => {
  const sliced = (
    method: "Timeslices" | "RatioTimeslices",
    sliceMs: number,
    timeSliceTarget?: number,
  ) =>
    makeDefinition({
      budgetingMethod: method,
      timeWindow: { type: "rolling", durationMs: 2 * HOUR },
      objective: {
        target: 0.9,
        timeSliceWindowMs: sliceMs,
        ...(timeSliceTarget === undefined ? {} : { timeSliceTarget }),
      },
    });
  const t0 = Date.UTC(2026, 9, 1);

  it("differs from Occurrences on uneven traffic when errors sit in quiet slices", () => {
    // Two 1-hour slices: 1000 requests all good, then 10 requests with 5 failures.
    const c = countsOf(t0, HOUR, [1000, 5], [1000, 10]);
    const now = t0 + 2 * HOUR;
    const occ = evaluateSlo(
      makeDefinition({
        timeWindow: { type: "rolling", durationMs: 2 * HOUR },
        objective: { target: 0.9 },
      }),
      [c],
      now,
    );
    const ratio = evaluateSlo(sliced("RatioTimeslices", HOUR), [c], now);
    const slices = evaluateSlo(sliced("Timeslices", HOUR), [c], now);
    expect(occ.objectives[0]?.sli).toBeCloseTo(1005 / 1010, 12);
    expect(ratio.objectives[0]?.sli).toBeCloseTo(0.75, 12);
    expect(slices.objectives[0]?.sli).toBeCloseTo(0.5, 12);
    expect([slices.objectives[0]?.good, slices.objectives[0]?.total]).toEqual([1, 2]);
    // Slice budget: 10 % of 2 slices = 0.2 slices = 12 minutes; one bad slice = 60 minutes.
    expect(slices.objectives[0]?.errorBudget.allowed).toBeCloseTo(0.2, 12);
    expect(slices.objectives[0]?.errorBudget.allowedMinutes).toBeCloseTo(12, 9);
    expect(slices.objectives[0]?.errorBudget.consumedMinutes).toBeCloseTo(60, 9);
    expect(slices.objectives[0]?.errorBudget.remainingFraction).toBeCloseTo(-4, 9);
  });

  it("scores a slice good at exactly timeSliceTarget and counts only slices with events", () => {
    // 5-minute slices over 1-minute steps; slice 2 has no events at all.
    const good = [99, 99, 99, 99, 99, 100, 90, 100, 100, 100, 0, 0, 0, 0, 0];
    const total = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0, 0, Number.NaN, 0, 0];
    const r = evaluateSlo(
      sliced("Timeslices", 5 * MINUTE, 0.99),
      [countsOf(t0, MINUTE, good, total)],
      t0 + 15 * MINUTE,
    );
    const o = r.objectives[0];
    expect(r.windowStartMs).toBe(t0 + 15 * MINUTE - 2 * HOUR);
    // Slice 0: 495/500 = 0.99 (good), slice 1: 490/500 (bad), slice 2: no events (no data).
    expect([o?.good, o?.total]).toEqual([1, 2]);
    expect(o?.sli).toBe(0.5);
  });

  it("equals Occurrences when traffic is uniform, and is lower when errors concentrate in quiet slices", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 24 }),
        fc.integer({ min: 1, max: 10_000 }),
        (badPerSlice, perSlice) => {
          const n = badPerSlice.length;
          const now = t0 + n * HOUR;
          const def = (m: "Occurrences" | "RatioTimeslices") =>
            makeDefinition({
              budgetingMethod: m,
              timeWindow: { type: "rolling", durationMs: n * HOUR },
              objective: { target: 0.9, timeSliceWindowMs: HOUR },
            });
          const uniform = countsOf(
            t0,
            HOUR,
            badPerSlice.map((b) => perSlice - Math.min(b, perSlice)),
            badPerSlice.map(() => perSlice),
          );
          const u1 = evaluateSlo(def("Occurrences"), [uniform], now).objectives[0]?.sli as number;
          const u2 = evaluateSlo(def("RatioTimeslices"), [uniform], now).objectives[0]
            ?.sli as number;
          expect(u2).toBeCloseTo(u1, 12);
          // Uneven: odd slices quiet (10 requests), errors only there.
          const totals = badPerSlice.map((_, i) => (i % 2 === 1 ? 10 : perSlice + 10));
          const bads = badPerSlice.map((b, i) => (i % 2 === 1 ? Math.min(b, 10) : 0));
          const uneven = countsOf(
            t0,
            HOUR,
            totals.map((t, i) => t - (bads[i] as number)),
            totals,
          );
          const o1 = evaluateSlo(def("Occurrences"), [uneven], now).objectives[0]?.sli as number;
          const o2 = evaluateSlo(def("RatioTimeslices"), [uneven], now).objectives[0]
            ?.sli as number;
          if (bads.some((b) => b > 0)) expect(o2).toBeLessThan(o1);
          else expect(o2).toBe(o1);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("defaults the slice length to the step and the slice target to the objective", () => {
    const c = countsOf(t0, 30 * MINUTE, [100, 89, 90, 100], [100, 100, 100, 100]);
    const def = makeDefinition({
      budgetingMethod: "Timeslices",
      timeWindow: { type: "rolling", durationMs: 2 * HOUR },
      objective: { target: 0.9 },
    });
    const o = evaluateSlo(def, [c], t0 + 2 * HOUR).objectives[0];
    expect([o?.good, o?.total]).toEqual([3, 4]);
    expect(o?.errorBudget.allowedMinutes).toBeCloseTo(12, 9);
  });
});

describe("evaluateSlo: calendar windows", () => {
  it("evaluates the current Europe/Paris month and lists completed months with compliance", () => {
    const def = makeDefinition({
      timeWindow: {
        type: "calendar",
        unit: "Month",
        count: 1,
        startTimeMs: Date.UTC(2025, 11, 31, 23),
        timeZone: "Europe/Paris",
      },
    });
    const start = Date.UTC(2026, 0, 15); // series starts mid-January: January is not complete
    const step = HOUR;
    const now = Date.UTC(2026, 2, 29, 12); // after the March DST change
    const steps = (now - start) / step;
    const febStart = Date.UTC(2026, 0, 31, 23);
    const marStart = Date.UTC(2026, 1, 28, 23);
    // February burns 1 % errors (non-compliant at 99.9 %), March is clean.
    const c = makeCounts(
      start,
      step,
      steps,
      () => 1000,
      (i) => {
        const t = start + i * step;
        return t >= febStart && t < marStart ? 10 : 0;
      },
    );
    const r = evaluateSlo(def, [c], now);
    const o = r.objectives[0];
    expect(r.windowStartMs).toBe(marStart);
    expect(o?.sli).toBe(1);
    expect(o?.calendarHistory).toEqual([
      { startMs: febStart, endMs: marStart, sli: 0.99, compliant: false },
    ]);
    // Local days: the 29th (DST day) starts at 23:00 UTC on the 28th, the 30th would start at 22:00 UTC.
    const days = o?.sliHistory ?? [];
    expect(days).toHaveLength(29);
    expect(days[0]?.startMs).toBe(marStart);
    expect(days.at(-1)?.startMs).toBe(Date.UTC(2026, 2, 28, 23));
    // Window length = 28 days 13 hours, budget minutes accordingly.
    expect(o?.errorBudget.allowedMinutes).toBeCloseTo((0.001 * (now - marStart)) / MINUTE, 9);
    // Tiers come from the nominal 30-day month.
    expect(o?.alerts[0]?.longWindowMs).toBe(HOUR);
  });
});

describe("evaluateSlo: scratch buffers", () => {
  it("gives the same report with its own buffers or with ones another evaluation used", () => {
    const scratch = new EvaluationScratch();
    const slices = makeDefinition({ budgetingMethod: "Timeslices" });
    const busy = series((i) => (i % 3 === 0 ? 40 : 0));
    const quiet = series((i) => (i % 7 === 0 ? 2 : 0));
    const alone = evaluateSlo(makeDefinition(), [quiet], NOW);
    evaluateSlo(slices, [busy], NOW, scratch);
    evaluateSlo(makeDefinition(), [busy], NOW, scratch);
    expect(evaluateSlo(makeDefinition(), [quiet], NOW, scratch)).toEqual(alone);
  });
});
