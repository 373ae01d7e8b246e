import { SloPlatformError } from "../errors.ts";
import { forecastLoad } from "../forecast/auto.ts";
import type { LoadSeries } from "../forecast/trace-csv.ts";
import { checkSpanSteps, DEFAULT_MAX_STEPS } from "../limits.ts";
import { findRamps, smooth } from "./ramps.ts";

/** Thrown for simulator inputs that cannot be replayed; the message names the field. */
export class SimulationError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "SimulationError";
  }
}

/** Knobs of the simulated fleet and of Application Auto Scaling. */
export interface SimulationOptions {
  /** Cap on the replayed minutes (default {@link DEFAULT_MAX_STEPS}). */
  readonly maxSteps?: number;
  /** Requests per minute one task serves at 100 % (over that, requests are at SLO risk). */
  readonly requestsPerTaskPerMinute: number;
  /** Target-tracking target as a fraction of capacity (default 0.7). */
  readonly targetUtilisation?: number;
  readonly minTasks?: number;
  readonly maxTasks?: number;
  /** Default 60 s out, 300 s in. */
  readonly scaleOutCooldownMs?: number;
  readonly scaleInCooldownMs?: number;
  /** A new task serves after a delay drawn uniformly from this range (default 60-120 s). */
  readonly startupDelayMs?: readonly [number, number];
  /** Predictive capacity is in place this long before its hour (default 5 minutes). */
  readonly schedulingBufferMs?: number;
  /** How often the predictive policy refits its forecast (default 6 hours). */
  readonly forecastEveryMs?: number;
  /** Seed of the start-up delay draws, so runs are repeatable. */
  readonly seed?: number;
}

export type PolicyName = "static-peak" | "target-tracking" | "predictive";

/** What one policy did over the trace. */
export interface PolicyResult {
  readonly policy: PolicyName;
  /** Minutes in which the load exceeded running capacity, and the requests over it. */
  readonly overCapacityMinutes: number;
  readonly overCapacityRequests: number;
  /** Mean minutes per ramp (start to an hour after the peak) with capacity at target below the load. */
  readonly meanTimeToCapacityMin: number;
  readonly taskHours: number;
  readonly scalingActions: number;
  readonly peakTasks: number;
}

/** The replay's figures, per policy plus the two ratios that answer the seed's claims. */
export interface SimulationResult {
  readonly minutes: number;
  readonly ramps: number;
  readonly policies: readonly PolicyResult[];
  /** 1 - time-to-capacity(predictive) / time-to-capacity(target tracking), in percent. */
  readonly fasterScalingPct: number;
  /** 1 - task-hours(predictive) / task-hours(static peak), in percent. */
  readonly costSavingPct: number;
  /** Tasks of the smallest static fleet with no more over-capacity minutes than predictive, and the saving against it. */
  readonly matchedStaticTasks: number;
  readonly costSavingMatchedPct: number;
}

/** Per-minute load (requests per minute) from a trace of requests per step; gaps carry the last value. */
export function perMinuteLoad(trace: LoadSeries): Float64Array {
  const minutesPerStep = trace.stepMs / 60_000;
  if (!(minutesPerStep >= 1) || !Number.isInteger(minutesPerStep)) {
    throw new SimulationError(
      `the trace step is ${trace.stepMs / 1000} s: the simulator needs a whole number of minutes (1m, 5m, 30m ...)`,
    );
  }
  const out = new Float64Array(trace.values.length * minutesPerStep);
  let last = 0;
  trace.values.forEach((v, i) => {
    if (Number.isFinite(v)) last = Math.max(0, v) / minutesPerStep;
    out.fill(last, i * minutesPerStep, (i + 1) * minutesPerStep);
  });
  return out;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

interface Fleet {
  running: number;
  pending: { readyAt: number; count: number }[];
}

/**
 * Replays a load trace minute by minute through three policies: static provisioning
 * for the peak, target tracking as Application Auto Scaling runs it (1-minute metrics
 * seen a minute late, scale out after 3 breaching datapoints in proportion to the
 * breach, scale in after 15 below 90 % of target, cooldowns, 1-2 minute task start-up),
 * and predictive plus target tracking (every `forecastEveryMs` a forecast from the past
 * only sets an hourly minimum capacity, in place `schedulingBufferMs` early; target
 * tracking never scales in below it).
 *
 * @throws SimulationError for a non-positive capacity or a step that is not whole minutes.
 * @example
 * const r = simulateScaling(trace, { requestsPerTaskPerMinute: 1000 });
 * r.fasterScalingPct; r.costSavingPct;
 */
export function simulateScaling(trace: LoadSeries, options: SimulationOptions): SimulationResult {
  const cap = options.requestsPerTaskPerMinute;
  if (!(cap > 0 && Number.isFinite(cap)))
    throw new SimulationError(
      `requestsPerTaskPerMinute is ${cap}: give the requests per minute one task serves (> 0)`,
    );
  const target = options.targetUtilisation ?? 0.7;
  if (!(target > 0 && target <= 1))
    throw new SimulationError(
      `targetUtilisation is ${target}: give a fraction in (0, 1], e.g. 0.7`,
    );
  // Impossible load would come out as Infinity tasks or NaN percentages: refuse it here.
  const bad = trace.values.findIndex((v) => v < 0 || v === Number.POSITIVE_INFINITY);
  if (bad >= 0) {
    throw new SimulationError(
      `load at step ${bad} is ${trace.values[bad]}: load is a finite count of requests, 0 or more (NaN for no data)`,
    );
  }
  checkSpanSteps(
    "the load trace, replayed per minute",
    trace.startMs,
    trace.startMs + trace.values.length * trace.stepMs,
    60_000,
    options.maxSteps ?? DEFAULT_MAX_STEPS,
  );
  const load = perMinuteLoad(trace);
  const T = load.length;
  const minTasks = options.minTasks ?? 1;
  const maxTasks = options.maxTasks ?? 10_000;
  const perTarget = cap * target;
  let peak = 0;
  for (const v of load) peak = Math.max(peak, v);
  const staticTasks = Math.min(maxTasks, Math.max(minTasks, Math.ceil(peak / perTarget - 1e-9)));

  const smoothed = smooth(load, 15);
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const v of smoothed) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // A ramp worth a scaling decision: at least a fifth of the load's range and a whole task.
  const ramps = findRamps(smoothed, Math.max(0.2 * (hi - lo), perTarget));

  const minCapacity = predictiveMinimum(trace, load, perTarget, options);
  const staticRun = Int32Array.from({ length: T }, () => staticTasks);
  const reactive = replay(load, cap, target, minTasks, maxTasks, null, options);
  const predictive = replay(load, cap, target, minTasks, maxTasks, minCapacity, options);

  const result = (
    policy: PolicyName,
    tasks: Int32Array,
    billed: Int32Array,
    actions: number,
  ): PolicyResult => {
    let overMin = 0;
    let overReq = 0;
    let th = 0;
    let pk = 0;
    for (let t = 0; t < T; t++) {
      const c = (tasks[t] as number) * cap;
      const l = load[t] as number;
      if (l > c) {
        overMin++;
        overReq += l - c;
      }
      th += (billed[t] as number) / 60;
      pk = Math.max(pk, tasks[t] as number);
    }
    return {
      policy,
      overCapacityMinutes: overMin,
      overCapacityRequests: overReq,
      meanTimeToCapacityMin: timeToCapacity(ramps, tasks, smoothed, perTarget),
      taskHours: th,
      scalingActions: actions,
      peakTasks: pk,
    };
  };
  const policies = [
    result("static-peak", staticRun, staticRun, 0),
    result("target-tracking", reactive.running, reactive.billed, reactive.actions),
    result("predictive", predictive.running, predictive.billed, predictive.actions),
  ];
  const [st, tt, pr] = policies as [PolicyResult, PolicyResult, PolicyResult];
  let matched = staticTasks;
  for (let n = 1; n <= staticTasks; n++) {
    let over = 0;
    for (let t = 0; t < T; t++) if ((load[t] as number) > n * cap) over++;
    if (over <= pr.overCapacityMinutes) {
      matched = n;
      break;
    }
  }
  const pct = (a: number, b: number): number => (b > 0 ? 100 * (1 - a / b) : 0);
  return {
    minutes: T,
    ramps: ramps.length,
    policies,
    fasterScalingPct: pct(pr.meanTimeToCapacityMin, tt.meanTimeToCapacityMin),
    costSavingPct: pct(pr.taskHours, st.taskHours),
    matchedStaticTasks: matched,
    costSavingMatchedPct: pct(pr.taskHours, (matched * T) / 60),
  };
}

/**
 * Mean per ramp of the minutes, from the ramp's start until an hour after its peak, in
 * which running capacity at target trailed the (smoothed) load: how long the fleet took
 * to catch up, summed over every step of a long ramp.
 */
function timeToCapacity(
  ramps: readonly { start: number; end: number }[],
  tasks: Int32Array,
  load: Float64Array,
  perTarget: number,
): number {
  if (ramps.length === 0) return 0;
  let total = 0;
  for (const r of ramps) {
    const limit = Math.min(load.length, r.end + 60);
    for (let t = r.start; t < limit; t++)
      if ((tasks[t] as number) * perTarget < (load[t] as number)) total++;
  }
  return total / ramps.length;
}

/** Hourly predictive minimum capacity per minute (0 before 24 h of history), from forecasts that see only the past. */
function predictiveMinimum(
  trace: LoadSeries,
  load: Float64Array,
  perTarget: number,
  options: SimulationOptions,
): Int32Array {
  const T = load.length;
  const out = new Int32Array(T);
  const stepMin = trace.stepMs / 60_000;
  const every = Math.max(1, Math.round((options.forecastEveryMs ?? 6 * 3_600_000) / trace.stepMs));
  const buffer = Math.round((options.schedulingBufferMs ?? 300_000) / 60_000);
  const firstStep = Math.ceil(86_400_000 / trace.stepMs);
  const horizonMs = (options.forecastEveryMs ?? 6 * 3_600_000) + 2 * 3_600_000;
  for (let o = firstStep; o < trace.values.length; o += every) {
    const f = forecastLoad(
      { startMs: trace.startMs, stepMs: trace.stepMs, values: trace.values.subarray(0, o) },
      { horizonMs },
    );
    // Hourly blocks like ECS predictive scaling: each hour gets the capacity of its busiest forecast step.
    const originMin = o * stepMin;
    const blocks = Math.ceil((f.mean.length * stepMin) / 60);
    for (let b = 0; b < blocks; b++) {
      let mx = 0;
      for (
        let j = Math.floor((b * 60) / stepMin);
        j < Math.min(f.mean.length, Math.ceil(((b + 1) * 60) / stepMin));
        j++
      ) {
        mx = Math.max(mx, (f.mean[j] as number) / stepMin);
      }
      const tasks = Math.ceil(mx / perTarget - 1e-9);
      for (let m = originMin + b * 60 - buffer; m < originMin + (b + 1) * 60 - buffer; m++)
        if (m >= 0 && m < T) out[m] = tasks;
    }
  }
  return out;
}

function replay(
  load: Float64Array,
  cap: number,
  target: number,
  minTasks: number,
  maxTasks: number,
  minCapacity: Int32Array | null,
  options: SimulationOptions,
): { running: Int32Array; billed: Int32Array; actions: number } {
  const T = load.length;
  const [dLo, dHi] = options.startupDelayMs ?? [60_000, 120_000];
  const outCool = (options.scaleOutCooldownMs ?? 60_000) / 60_000;
  const inCool = (options.scaleInCooldownMs ?? 300_000) / 60_000;
  const random = rng(options.seed ?? 42);
  const running = new Int32Array(T);
  const billed = new Int32Array(T);
  const start = Math.max(
    minTasks,
    minCapacity?.[0] ?? 0,
    Math.ceil((load[0] as number) / (cap * target) - 1e-9),
  );
  const fleet: Fleet = { running: Math.min(maxTasks, start), pending: [] };
  const util = new Float64Array(T);
  let above = 0;
  let below = 0;
  let lastOut = Number.NEGATIVE_INFINITY;
  let lastIn = Number.NEGATIVE_INFINITY;
  let actions = 0;
  const desired = (): number => fleet.running + fleet.pending.reduce((s, p) => s + p.count, 0);
  const launch = (t: number, count: number): void => {
    for (let k = 0; k < count; k++) {
      const delay = Math.round((dLo + (dHi - dLo) * random()) / 60_000);
      fleet.pending.push({ readyAt: t + Math.max(1, delay), count: 1 });
    }
    actions++;
  };
  for (let t = 0; t < T; t++) {
    fleet.pending = fleet.pending.filter((p) => {
      if (p.readyAt > t) return true;
      fleet.running += p.count;
      return false;
    });
    const floor = Math.min(maxTasks, Math.max(minTasks, minCapacity?.[t] ?? 0));
    const d = desired();
    if (d < floor) launch(t, floor - d);
    // The alarm sees the datapoint of the previous minute (CloudWatch publishes 1-minute metrics a minute late).
    if (t >= 1) {
      const u = util[t - 1] as number;
      above = u > target ? above + 1 : 0;
      below = u < 0.9 * target ? below + 1 : 0;
      const cur = desired();
      if (above >= 3 && t - lastOut >= outCool) {
        const want = Math.min(maxTasks, Math.ceil((cur * u) / target));
        if (want > cur) {
          launch(t, want - cur);
          lastOut = t;
          above = 0;
        }
      } else if (below >= 15 && t - lastIn >= inCool && t - lastOut >= outCool) {
        const want = Math.max(floor, minTasks, Math.ceil((cur * u) / target));
        if (want < cur && fleet.pending.length === 0) {
          fleet.running = Math.max(want, 0);
          lastIn = t;
          below = 0;
          actions++;
        }
      }
    }
    running[t] = fleet.running;
    billed[t] = desired();
    util[t] =
      fleet.running > 0 ? (load[t] as number) / (fleet.running * cap) : Number.POSITIVE_INFINITY;
  }
  return { running, billed, actions };
}
