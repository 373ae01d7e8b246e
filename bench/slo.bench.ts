/**
 * `pnpm bench:slo`: the SLO engine over 1,000 SLOs x 30 days x 1-minute steps (43,200
 * steps each) with the four default burn-rate tiers, budgets and every history, against
 * a plain sequential sum over the same arrays in the same run (`scan_ratio`).
 *
 * Input is generated deterministically (seeded PRNG, daily traffic cycle, incidents, a
 * few gaps) into two reused buffers, one SLO at a time; only the evaluation is timed.
 * Each SLO is timed three times interleaved with the plain sum, keeping the fastest of
 * each (see below). `SLO_BENCH_SLOS=100 pnpm bench:slo` runs a smaller fleet. The last
 * line is JSON.
 */
import { createRng } from "../packages/core/src/embedded/random.ts";
import type { CountSeries } from "../packages/core/src/metrics/source.ts";
import { defaultTiers } from "../packages/core/src/slo/burn-rate.ts";
import { EvaluationScratch, evaluateSlo } from "../packages/core/src/slo/evaluate.ts";
import type { BudgetingMethod, SloDefinition } from "../packages/core/src/spec/model.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
const PERIOD = 30 * DAY;
const STEPS = PERIOD / MINUTE;
const SLOS = Number(process.env.SLO_BENCH_SLOS ?? 1000);
const WARMUP = 30;
const REPEAT = 3;
const END_MS = Date.UTC(2026, 9, 31, 12);
const START_MS = END_MS - PERIOD;
const TIERS = defaultTiers(PERIOD);

function definition(i: number): SloDefinition {
  // Mostly the fleet's Occurrences SLOs, with every tenth Timeslices and RatioTimeslices.
  const budgetingMethod: BudgetingMethod =
    i % 10 === 8 ? "Timeslices" : i % 10 === 9 ? "RatioTimeslices" : "Occurrences";
  const service = `service-${Math.floor(i / 4)}`;
  return {
    name: `${service}-slo-${i % 4}`,
    service,
    indicator: {
      type: "ratio",
      counter: true,
      total: {
        kind: "metric",
        namespace: "AWS/ApplicationELB",
        metricName: "RequestCount",
        dimensions: { Service: service },
        stat: "Sum",
      },
      bad: {
        kind: "metric",
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions: { Service: service },
        stat: "Sum",
      },
    },
    budgetingMethod,
    timeWindow: { type: "rolling", durationMs: PERIOD },
    objectives: [
      {
        name: "objective-1",
        target: i % 3 === 0 ? 0.99 : 0.999,
        ...(budgetingMethod === "Occurrences" ? {} : { timeSliceWindowMs: 5 * MINUTE }),
      },
    ],
    alertTiers: TIERS,
    exclusions:
      i % 50 === 0
        ? [{ startMs: START_MS + 10 * DAY, endMs: START_MS + 10 * DAY + 7_200_000 }]
        : [],
    minEvents: 100,
    labels: {},
    location: { file: "bench/slo.bench.ts", line: 1 },
  };
}

/** Fills the buffers with one SLO's 30 days: daily cycle, noise, incidents, rare gaps. */
function generate(i: number, good: Float64Array, total: Float64Array): void {
  const rand = createRng(0x5eed + i * 7919);
  const base = 20 + rand() * 2980;
  const errorBase = 0.0001 + rand() * 0.0004;
  const incidents = Array.from({ length: Math.floor(rand() * 4) }, () => {
    const len = 10 + Math.floor(rand() * 300);
    const start = Math.floor(rand() * (STEPS - len));
    return { start, end: start + len, ratio: 0.01 + rand() * 0.3 };
  });
  for (let s = 0; s < STEPS; s++) {
    if (rand() < 0.001) {
      good[s] = Number.NaN;
      total[s] = Number.NaN;
      continue;
    }
    const daily = 1 + 0.6 * Math.sin((2 * Math.PI * s) / 1440 - Math.PI / 2);
    const t = Math.round(base * daily * (0.9 + 0.2 * rand()));
    let ratio = errorBase;
    for (const inc of incidents) if (s >= inc.start && s < inc.end) ratio = inc.ratio;
    total[s] = t;
    good[s] = t - Math.round(t * ratio * (0.5 + rand()));
  }
}

function plainSum(good: Float64Array, total: Float64Array): number {
  let g = 0;
  let t = 0;
  for (let s = 0; s < total.length; s++) {
    g += good[s] as number;
    t += total[s] as number;
  }
  // NaN gaps make the sums NaN; the result only has to be used, not meaningful.
  return Number.isNaN(g + t) ? 1 : g + t;
}

const good = new Float64Array(STEPS);
const total = new Float64Array(STEPS);
const counts: CountSeries = { startMs: START_MS, stepMs: MINUTE, good, total };
// As the pipeline and the evaluation job do: one scratch for the whole run.
const scratch = new EvaluationScratch();

// JIT warm-up on SLOs that are not measured.
for (let i = 0; i < WARMUP; i++) {
  generate(SLOS + i, good, total);
  evaluateSlo(definition(i), [counts], END_MS, scratch);
  plainSum(good, total);
}

let engineMs = 0;
let firstPassMs = 0;
let plainMs = 0;
let sink = 0;
let firing = 0;
let noData = 0;
let maxRss = 0;
let maxHeap = 0;
const windowsPerSlo = 1 + 2 * TIERS.length;
for (let i = 0; i < SLOS; i++) {
  generate(i, good, total);
  const def = definition(i);
  // Engine and plain sum are timed REPEAT times, interleaved, and the fastest of each kept:
  // the machine is shared, and a preemption in one timing must not skew the ratio.
  let bestEngine = Number.POSITIVE_INFINITY;
  let bestPlain = Number.POSITIVE_INFINITY;
  for (let r = 0; r < REPEAT; r++) {
    const t0 = performance.now();
    const report = evaluateSlo(def, [counts], END_MS, scratch);
    const t1 = performance.now();
    sink += plainSum(good, total);
    const t2 = performance.now();
    bestEngine = Math.min(bestEngine, t1 - t0);
    bestPlain = Math.min(bestPlain, t2 - t1);
    if (r > 0) continue;
    firstPassMs += t1 - t0;
    for (const o of report.objectives) {
      if (o.alerts.some((a) => a.state === "firing")) firing++;
      if (o.sli === null) noData++;
    }
  }
  engineMs += bestEngine;
  plainMs += bestPlain;
  if (i % 50 === 0 || i === SLOS - 1) {
    const m = process.memoryUsage();
    maxRss = Math.max(maxRss, m.rss);
    maxHeap = Math.max(maxHeap, m.heapUsed);
  }
}

const seconds = engineMs / 1000;
const stepsTotal = SLOS * STEPS;
const engineStepsPerS = stepsTotal / seconds;
const plainStepsPerS = stepsTotal / (plainMs / 1000);
const result = {
  slos: SLOS,
  steps: STEPS,
  seconds: Number(seconds.toFixed(3)),
  first_pass_seconds: Number((firstPassMs / 1000).toFixed(3)),
  slo_windows_per_s: Math.round((SLOS * windowsPerSlo) / seconds),
  windows_per_slo: windowsPerSlo,
  engine_steps_per_s: Math.round(engineStepsPerS),
  plain_sum_steps_per_s: Math.round(plainStepsPerS),
  scan_ratio: Number((engineStepsPerS / plainStepsPerS).toFixed(3)),
  peak_rss_mb: Math.round(maxRss / 2 ** 20),
  peak_heap_mb: Math.round(maxHeap / 2 ** 20),
  slos_with_firing_alert: firing,
  slos_without_data: noData,
};
console.log(
  `SLOs: ${SLOS} x ${STEPS} one-minute steps (30 d), ${TIERS.length} tiers, budgets, histories`,
);
console.log(
  `engine: ${seconds.toFixed(3)} s (fastest of ${REPEAT} per SLO; first runs ${result.first_pass_seconds} s), ${((seconds * 1000) / SLOS).toFixed(3)} ms per SLO`,
);
console.log(
  `SLO-windows/s: ${result.slo_windows_per_s} (${windowsPerSlo} windows per SLO: compliance + long/short per tier)`,
);
console.log(
  `steps/s: engine ${(engineStepsPerS / 1e6).toFixed(1)} M, plain sum ${(plainStepsPerS / 1e6).toFixed(1)} M, scan_ratio ${result.scan_ratio} (target >= 0.25)`,
);
console.log(`peak memory: rss ${result.peak_rss_mb} MB, heap ${result.peak_heap_mb} MB`);
console.log(`SLOs with a firing alert: ${firing}; checksum ${sink.toExponential(6)}`);
console.log(JSON.stringify(result));
