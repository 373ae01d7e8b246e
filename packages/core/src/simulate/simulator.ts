import {
  FORECAST_FEED,
  forecastFeedHorizonMs,
  predictedLoadSeries,
} from "../capacity/forecast-series.ts";
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
  /** How often the AWS predictive policy refits its forecast (default 6 hours). */
  readonly forecastEveryMs?: number;
  /** The predicted-load job's schedule and lead (default `FORECAST_FEED`: 15 and 5 minutes). */
  readonly forecastFeed?: { readonly everyMs: number; readonly leadMs: number };
  /** History the predicted-load job fits on (default 14 days, as deployed). */
  readonly forecastHistoryMs?: number;
  /** Seed of the start-up delay draws, so runs are repeatable. */
  readonly seed?: number;
}

/**
 * `deployed` is what `infra/services.ts` declares: reactive target tracking, AWS
 * predictive scaling on observed load and target tracking on our forecast.
 * `aws-predictive` leaves out our forecast, to show what it adds.
 */
export type PolicyName = "static-peak" | "target-tracking" | "aws-predictive" | "deployed";

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
  /** Running (serving) tasks per minute. */
  readonly runningTasks: Int32Array;
}

/** The replay's figures, per policy plus the ratios that answer the seed's claims, for the deployed policies. */
export interface SimulationResult {
  readonly minutes: number;
  readonly ramps: number;
  readonly policies: readonly PolicyResult[];
  /** 1 - time-to-capacity(deployed) / time-to-capacity(target tracking), in percent. */
  readonly fasterScalingPct: number;
  /** 1 - task-hours(deployed) / task-hours(static peak), in percent. */
  readonly costSavingPct: number;
  /** task-hours(deployed) / task-hours(target tracking) - 1, in percent: what being early costs. */
  readonly taskHoursVsTargetTrackingPct: number;
  /** task-hours(deployed) / task-hours(static peak) - 1, in percent (negative: fewer). */
  readonly taskHoursVsStaticPct: number;
  /** Minutes the deployed policies ran below the load (its over-capacity minutes). */
  readonly underCapacityMinutes: number;
  /** Tasks of the smallest static fleet with no more over-capacity minutes than deployed, and the saving against it. */
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
 * Replays a load trace minute by minute through the deployed scaling and, for
 * comparison, simpler policies:
 * - `static-peak`: provisioned for the trace's peak;
 * - `target-tracking`: request-count target tracking as Application Auto Scaling runs
 *   it (1-minute metrics seen a minute late, scale out after 3 breaching datapoints in
 *   proportion to the breach, scale in after 15 below 90 % of target, cooldowns, 1-2
 *   minute task start-up); CPU tracking is the same signal here, CPU being proportional
 *   to requests per task in this model;
 * - `aws-predictive`: that plus AWS predictive scaling on the observed load (hourly
 *   capacity from a forecast refitted every `forecastEveryMs` on the past only, in place
 *   `schedulingBufferMs` early, after 24 h of history; AWS's own model is not public, so
 *   `forecastLoad` stands in for it);
 * - `deployed`: that plus target tracking on our forecast, fed exactly as the
 *   predicted-load job feeds it (`forecastLoad` on 14 days, every 15 minutes, the
 *   minute-by-minute `predictedLoadSeries`). Scale-out follows any breaching policy,
 *   scale-in only when every policy with data agrees, as Application Auto Scaling does.
 *
 * @throws SimulationError for a non-positive capacity or a step that is not whole minutes.
 * @example
 * const r = simulateScaling(trace, { requestsPerTaskPerMinute: 1000 });
 * r.fasterScalingPct; r.taskHoursVsTargetTrackingPct; r.underCapacityMinutes;
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
  const minTasks = options.minTasks ?? 1;
  const maxTasks = options.maxTasks ?? 10_000;
  if (
    !(
      Number.isInteger(minTasks) &&
      minTasks >= 0 &&
      Number.isInteger(maxTasks) &&
      maxTasks >= minTasks
    )
  )
    throw new SimulationError(
      `minTasks ${minTasks} and maxTasks ${maxTasks}: give whole numbers with 0 <= minTasks <= maxTasks`,
    );
  const load = perMinuteLoad(trace);
  const T = load.length;
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
  const forecast = forecastFeedSeries(trace, T, options);
  const staticRun = Int32Array.from({ length: T }, () => staticTasks);
  const fleet = { cap, target, minTasks, maxTasks };
  const reactive = replay(load, fleet, null, null, options);
  const awsPredictive = replay(load, fleet, minCapacity, null, options);
  const deployed = replay(load, fleet, minCapacity, forecast, options);

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
      runningTasks: tasks,
    };
  };
  const st = result("static-peak", staticRun, staticRun, 0);
  const tt = result("target-tracking", reactive.running, reactive.billed, reactive.actions);
  const ap = result(
    "aws-predictive",
    awsPredictive.running,
    awsPredictive.billed,
    awsPredictive.actions,
  );
  const dp = result("deployed", deployed.running, deployed.billed, deployed.actions);
  let matched = staticTasks;
  for (let n = 1; n <= staticTasks; n++) {
    let over = 0;
    for (let t = 0; t < T; t++) if ((load[t] as number) > n * cap) over++;
    if (over <= dp.overCapacityMinutes) {
      matched = n;
      break;
    }
  }
  const saving = (a: number, b: number): number => (b > 0 ? 100 * (1 - a / b) : 0);
  const change = (a: number, b: number): number => (b > 0 ? 100 * (a / b - 1) : 0);
  return {
    minutes: T,
    ramps: ramps.length,
    policies: [st, tt, ap, dp],
    fasterScalingPct: saving(dp.meanTimeToCapacityMin, tt.meanTimeToCapacityMin),
    costSavingPct: saving(dp.taskHours, st.taskHours),
    taskHoursVsTargetTrackingPct: change(dp.taskHours, tt.taskHours),
    taskHoursVsStaticPct: change(dp.taskHours, st.taskHours),
    underCapacityMinutes: dp.overCapacityMinutes,
    matchedStaticTasks: matched,
    costSavingMatchedPct: saving(dp.taskHours, (matched * T) / 60),
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

/**
 * The `PredictedLoad` series the forecast tracking policy reads, per minute (NaN where the
 * job published nothing): every `forecastFeed.everyMs` the job's own steps, on the whole
 * trace steps before the run, with the job's history limit.
 */
function forecastFeedSeries(
  trace: LoadSeries,
  T: number,
  options: SimulationOptions,
): Float64Array {
  const feed = options.forecastFeed ?? FORECAST_FEED;
  const historyMs = options.forecastHistoryMs ?? 14 * 86_400_000;
  const stepMin = trace.stepMs / 60_000;
  const everyMin = Math.max(1, Math.round(feed.everyMs / 60_000));
  const out = new Float64Array(T).fill(Number.NaN);
  for (let t = 0; t < T; t += everyMin) {
    const end = Math.floor(t / stepMin);
    const begin = Math.max(0, end - Math.ceil(historyMs / trace.stepMs));
    const values = trace.values.subarray(begin, end);
    let present = 0;
    for (const v of values) if (Number.isFinite(v)) present++;
    // The job publishes nothing for a service whose history cannot be forecast yet.
    if (present < 2) continue;
    // Times relative to the trace start, so the minute grid is the replay's.
    const historyEndMs = end * trace.stepMs;
    const f = forecastLoad(
      { startMs: begin * trace.stepMs, stepMs: trace.stepMs, values },
      { horizonMs: forecastFeedHorizonMs(feed, historyEndMs, t * 60_000) },
    );
    for (const p of predictedLoadSeries(f, { fromMs: t * 60_000, ...feed })) {
      const m = p.timestampMs / 60_000;
      if (m < T) out[m] = p.requestsPerMinute;
    }
  }
  return out;
}

interface FleetShape {
  readonly cap: number;
  readonly target: number;
  readonly minTasks: number;
  readonly maxTasks: number;
}

/** One target-tracking policy's alarm state: consecutive breaching / low datapoints. */
interface Tracker {
  /** The metric per minute as a fraction of one task's capacity; NaN where there is no datapoint. */
  readonly metric: Float64Array;
  above: number;
  below: number;
}

function replay(
  load: Float64Array,
  shape: FleetShape,
  minCapacity: Int32Array | null,
  forecast: Float64Array | null,
  options: SimulationOptions,
): { running: Int32Array; billed: Int32Array; actions: number } {
  const { cap, target, minTasks, maxTasks } = shape;
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
  const trackers: Tracker[] = [{ metric: new Float64Array(T), above: 0, below: 0 }];
  if (forecast) trackers.push({ metric: new Float64Array(T), above: 0, below: 0 });
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
    // The alarms see the datapoint of the previous minute (CloudWatch publishes 1-minute
    // metrics a minute late); a missing datapoint moves no alarm.
    if (t >= 1) {
      const cur = desired();
      let outWant = cur;
      let inWant = 0;
      let allLow = true;
      let judged = 0;
      for (const k of trackers) {
        const u = k.metric[t - 1] as number;
        if (Number.isNaN(u)) continue;
        judged++;
        k.above = u > target ? k.above + 1 : 0;
        k.below = u < 0.9 * target ? k.below + 1 : 0;
        // From zero tasks the proportional rule has nothing to scale: one task is the step.
        const want = cur === 0 ? (u > 0 ? 1 : 0) : Math.ceil((cur * u) / target);
        if (k.above >= 3) outWant = Math.max(outWant, Math.min(maxTasks, want));
        if (k.below < 15) allLow = false;
        inWant = Math.max(inWant, want);
      }
      if (outWant > cur && t - lastOut >= outCool) {
        launch(t, outWant - cur);
        lastOut = t;
        for (const k of trackers) k.above = 0;
      } else if (judged > 0 && allLow && t - lastIn >= inCool && t - lastOut >= outCool) {
        const want = Math.max(floor, minTasks, inWant);
        if (want < cur && fleet.pending.length === 0) {
          fleet.running = Math.max(want, 0);
          lastIn = t;
          for (const k of trackers) k.below = 0;
          actions++;
        }
      }
    }
    running[t] = fleet.running;
    billed[t] = desired();
    const served = fleet.running * cap;
    (trackers[0] as Tracker).metric[t] =
      served > 0 ? (load[t] as number) / served : Number.POSITIVE_INFINITY;
    if (forecast) {
      const f = forecast[t] as number;
      (trackers[1] as Tracker).metric[t] = Number.isNaN(f)
        ? Number.NaN
        : served > 0
          ? f / served
          : Number.POSITIVE_INFINITY;
    }
  }
  return { running, billed, actions };
}
