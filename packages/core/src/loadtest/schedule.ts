import { SloPlatformError } from "../errors.ts";
import type { LoadSeries } from "../forecast/trace-csv.ts";

/** A load-test plan that cannot be built from these inputs (empty trace, bad bounds). */
export class LoadPlanError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "LoadPlanError";
  }
}

/** One constant-rate slice of a load test. */
export interface LoadInterval {
  readonly index: number;
  /** Offset from the start of the run. */
  readonly startMs: number;
  readonly durationMs: number;
  /** Requests per second to offer (0: an idle slice). */
  readonly rps: number;
  /** Time in the trace this slice replays (absent for a constant-rate run). */
  readonly traceStartMs?: number;
}

/** What a load test will offer, slice by slice. */
export interface LoadPlan {
  readonly intervals: readonly LoadInterval[];
  readonly durationMs: number;
  /** Trace time per run time (1 for a constant-rate run). */
  readonly speedup: number;
  readonly peakRps: number;
  /** Requests the whole plan offers. */
  readonly offeredRequests: number;
}

const SECOND_MS = 1000;

/** Shortest slice: autocannon paces its rate per second, so shorter slices cannot hold a rate. */
export const MIN_INTERVAL_MS = SECOND_MS;

function checkDuration(durationMs: number): void {
  if (!Number.isFinite(durationMs) || durationMs < SECOND_MS) {
    throw new LoadPlanError(`the run must last at least 1 s, got ${durationMs} ms`);
  }
}

/**
 * A constant-rate plan cut into `intervalMs` slices (the report's rows).
 *
 * @example
 * constantPlan({ rps: 50, durationMs: 60_000, intervalMs: 5_000 }).intervals.length; // 12
 */
export function constantPlan(input: {
  rps: number;
  durationMs: number;
  intervalMs: number;
}): LoadPlan {
  checkDuration(input.durationMs);
  if (!(input.rps > 0) || !Number.isFinite(input.rps)) {
    throw new LoadPlanError(
      `the rate must be a positive number of requests per second, got ${input.rps}`,
    );
  }
  const step = Math.max(MIN_INTERVAL_MS, Math.round(input.intervalMs / SECOND_MS) * SECOND_MS);
  const intervals: LoadInterval[] = [];
  for (let start = 0; start < input.durationMs; start += step) {
    const durationMs = Math.min(step, input.durationMs - start);
    intervals.push({
      index: intervals.length,
      startMs: start,
      durationMs,
      rps: Math.round(input.rps),
    });
  }
  return finish(intervals, input.durationMs, 1);
}

/**
 * Replays a load trace compressed in time: `speedup` trace milliseconds pass per run
 * millisecond, starting at the trace's first step, and the rates are scaled so the
 * busiest slice of the replayed part offers `maxRps`. Trace steps shorter than a second
 * of run time are merged (mean) into one-second slices; missing steps (NaN) replay the
 * last known value, so a gap in the file is not a drop to zero load.
 *
 * @throws LoadPlanError when the trace is empty, all missing, or all zero in the window.
 * @example
 * // 5-minute steps at speedup 60 -> one 5 s slice per trace step
 * replayPlan(trace, { durationMs: 60_000, speedup: 60, maxRps: 200 }).intervals[0]?.durationMs; // 5000
 */
export function replayPlan(
  trace: LoadSeries,
  options: { durationMs: number; speedup: number; maxRps: number; maxSliceMs?: number },
): LoadPlan {
  const { durationMs, speedup, maxRps } = options;
  const maxSliceMs = Math.max(MIN_INTERVAL_MS, options.maxSliceMs ?? Number.POSITIVE_INFINITY);
  checkDuration(durationMs);
  if (!(speedup > 0) || !Number.isFinite(speedup)) {
    throw new LoadPlanError(`the speedup must be a positive number, got ${speedup}`);
  }
  if (!(maxRps >= 1) || !Number.isFinite(maxRps)) {
    throw new LoadPlanError(`the peak rate must be at least 1 request per second, got ${maxRps}`);
  }
  if (trace.values.length === 0) throw new LoadPlanError("the trace has no steps");
  const runPerStep = trace.stepMs / speedup;
  const stepsPerSlice = Math.max(1, Math.ceil(MIN_INTERVAL_MS / runPerStep));
  const sliceMs = Math.max(
    MIN_INTERVAL_MS,
    Math.round((runPerStep * stepsPerSlice) / SECOND_MS) * SECOND_MS,
  );
  const raw: Array<{ startMs: number; durationMs: number; load: number; traceStartMs: number }> =
    [];
  let last = Number.NaN;
  let step = 0;
  for (let start = 0; start < durationMs && step < trace.values.length; start += sliceMs) {
    let sum = 0;
    let n = 0;
    const first = step;
    for (let k = 0; k < stepsPerSlice && step < trace.values.length; k++, step++) {
      const v = trace.values[step] as number;
      if (Number.isFinite(v)) last = Math.max(0, v);
      if (Number.isFinite(last)) {
        sum += last;
        n++;
      }
    }
    raw.push({
      startMs: start,
      durationMs: Math.min(sliceMs, durationMs - start),
      load: n > 0 ? sum / n : 0,
      traceStartMs: trace.startMs + first * trace.stepMs,
    });
  }
  const peak = Math.max(...raw.map((r) => r.load));
  if (!(peak > 0)) {
    throw new LoadPlanError(
      "the replayed part of the trace has no load (every value is 0 or missing): pick a trace or a --speedup that covers traffic",
    );
  }
  // Long slices are cut into report rows of at most maxSliceMs at the same rate, so a
  // 30-minute trace step replayed at 60x still says from which 5 s the load broke an SLO.
  const intervals: LoadInterval[] = [];
  for (const r of raw) {
    const rps = Math.round((r.load / peak) * maxRps);
    for (let off = 0; off < r.durationMs; off += maxSliceMs) {
      intervals.push({
        index: intervals.length,
        startMs: r.startMs + off,
        durationMs: Math.min(maxSliceMs, r.durationMs - off),
        rps,
        traceStartMs: r.traceStartMs + off * speedup,
      });
    }
  }
  const end = raw.at(-1) as (typeof raw)[number];
  return finish(intervals, end.startMs + end.durationMs, speedup);
}

function finish(intervals: LoadInterval[], durationMs: number, speedup: number): LoadPlan {
  return {
    intervals,
    durationMs,
    speedup,
    peakRps: Math.max(...intervals.map((i) => i.rps)),
    offeredRequests: intervals.reduce((s, i) => s + (i.rps * i.durationMs) / SECOND_MS, 0),
  };
}
