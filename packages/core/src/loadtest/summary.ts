import type { LoadInterval, LoadPlan } from "./schedule.ts";

/** How one request ended: an HTTP status, or no response at all. */
export type RequestOutcome = number | "timeout" | "connection";

/** One request the generator completed (or gave up on), relative to the run start. */
export interface RequestSample {
  /** When the request finished, ms after the run started. */
  readonly atMs: number;
  /** Time to the full response (or to the failure). */
  readonly latencyMs: number;
  readonly outcome: RequestOutcome;
}

/** Error classes a report counts: HTTP 4xx and 5xx, timeouts, refused or reset connections. */
export type ErrorClass = "4xx" | "5xx" | "timeout" | "connection";

/** The error class of an outcome, `null` for a 1xx-3xx answer. */
export function errorClass(outcome: RequestOutcome): ErrorClass | null {
  if (outcome === "timeout" || outcome === "connection") return outcome;
  if (outcome >= 500) return "5xx";
  if (outcome >= 400) return "4xx";
  return null;
}

/** Offered against achieved load and latency over one slice (or the whole run). */
export interface LoadRow {
  readonly startMs: number;
  readonly durationMs: number;
  readonly offeredRps: number;
  /** Answered requests (any HTTP status) per second: failed connects and timeouts are not throughput. */
  readonly achievedRps: number;
  /** Requests that ended in the slice, answered or not. */
  readonly requests: number;
  /** Nearest-rank latency percentiles in ms; `null` with no request in the slice. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly errors: Readonly<Record<ErrorClass, number>>;
}

/**
 * Nearest-rank percentile of sorted values (`q` in 0..1), `null` when empty.
 *
 * @example
 * percentile(Float64Array.of(1, 2, 3, 4), 0.5); // 2
 */
export function percentile(sorted: Float64Array, q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] as number;
}

const round = (x: number) => Math.round(x * 100) / 100;

function row(
  samples: readonly RequestSample[],
  startMs: number,
  durationMs: number,
  offeredRequests: number,
): LoadRow {
  const latencies = Float64Array.from(samples, (s) => s.latencyMs).sort();
  const errors: Record<ErrorClass, number> = { "4xx": 0, "5xx": 0, timeout: 0, connection: 0 };
  for (const s of samples) {
    const c = errorClass(s.outcome);
    if (c) errors[c]++;
  }
  const seconds = durationMs / 1000;
  const p = (q: number) => {
    const v = percentile(latencies, q);
    return v === null ? null : round(v);
  };
  return {
    startMs,
    durationMs,
    offeredRps: seconds > 0 ? round(offeredRequests / seconds) : 0,
    achievedRps:
      seconds > 0
        ? round(samples.filter((x) => typeof x.outcome === "number").length / seconds)
        : 0,
    requests: samples.length,
    p50Ms: p(0.5),
    p95Ms: p(0.95),
    p99Ms: p(0.99),
    errors,
  };
}

/** A run's report rows: one per slice that started, and the total. */
export interface LoadSummary {
  readonly intervals: readonly LoadRow[];
  readonly total: LoadRow;
}

/**
 * Summarises what the generator recorded against the plan. `elapsedMs` cuts the plan
 * short (a run stopped with Ctrl-C): slices after it are left out, the one it falls in
 * is shortened, so offered and achieved rates compare the same time span.
 *
 * @example
 * const { total } = summariseRun(plan, samples, plan.durationMs);
 * total.achievedRps / total.offeredRps; // ~1 when the target kept up
 */
export function summariseRun(
  plan: Pick<LoadPlan, "intervals">,
  samples: readonly RequestSample[],
  elapsedMs: number,
): LoadSummary {
  const ran: LoadInterval[] = plan.intervals
    .filter((i) => i.startMs < elapsedMs)
    .map((i) => ({ ...i, durationMs: Math.min(i.durationMs, elapsedMs - i.startMs) }));
  const buckets = ran.map(() => [] as RequestSample[]);
  for (const s of samples) {
    // A response landing just after its slice ended belongs to the slice that sent it.
    let k = ran.findLastIndex((i) => i.startMs <= s.atMs);
    if (k < 0) k = 0;
    buckets[k]?.push(s);
  }
  const intervals = ran.map((i, k) =>
    row(buckets[k] as RequestSample[], i.startMs, i.durationMs, (i.rps * i.durationMs) / 1000),
  );
  const spanMs = ran.reduce((s, i) => s + i.durationMs, 0);
  const offered = ran.reduce((s, i) => s + (i.rps * i.durationMs) / 1000, 0);
  return { intervals, total: row(samples, 0, spanMs, offered) };
}
