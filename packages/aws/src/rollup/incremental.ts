import type { CountSeries, TimeRange } from "@slo/core/metrics";
import { RETENTION_TIERS } from "../cloudwatch/period.ts";
import { BudgetExceededError, RollupConflictError } from "../errors.ts";
import { nanArray, runLimited } from "../util.ts";
import type { RollupRecord } from "./codec.ts";
import type { RollupReadResult, RollupStore } from "./store.ts";

/** One SLO objective kept in the rollup store. */
export interface RollupSpec {
  /** `rollupKey(slo, objective)`. */
  readonly key: string;
  /** `rollupFingerprint(def, objective)`: a change rebuilds the history. */
  readonly fingerprint: string;
  /** `rollupRetentionMs(def)`: history to keep. */
  readonly retentionMs: number;
}

/** Counts for one key on the fetched range's grid. */
export interface FetchedCounts {
  readonly good: Float64Array;
  readonly total: Float64Array;
  /** False when any input was partial or failed: such counts are never stored. */
  readonly complete: boolean;
  readonly messages?: readonly string[];
}

/**
 * Fetches per-step good/total counts for `keys` over `range` (typically `collectCounts`
 * over a `CloudWatchMetricsSource`, filtered to the SLOs behind `keys`).
 */
export type CountsFetcher = (
  keys: readonly string[],
  range: TimeRange,
) => Promise<ReadonlyMap<string, FetchedCounts>>;

/**
 * - `updated`: the recent steps were re-read and merged.
 * - `created`: first run for this objective; its history was backfilled.
 * - `rebuilt`: the stored object was corrupt or the definition changed; backfilled again.
 * - `current`: a concurrent run had already stored newer data; that was used.
 * - `stale`: this run's fetch was incomplete; the previous counts are returned, `complete: false`.
 * - `failed`: no usable counts (first backfill failed).
 */
export type RollupOutcome = "updated" | "created" | "rebuilt" | "current" | "stale" | "failed";

export interface RollupResult {
  readonly key: string;
  readonly outcome: RollupOutcome;
  /** The retained counts ending at the watermark; absent when `failed`. */
  readonly counts?: CountSeries;
  /** End (exclusive) of the steps `counts` covers. */
  readonly watermarkMs?: number;
  /** True only when the counts were brought up to this run's end from complete data. */
  readonly complete: boolean;
  /** False when the counts could not be written back (the next run re-reads those steps). */
  readonly stored: boolean;
  readonly messages: readonly string[];
}

export interface UpdateRollupsOptions {
  readonly store: RollupStore;
  readonly specs: readonly RollupSpec[];
  readonly fetch: CountsFetcher;
  readonly nowMs: number;
  /** Grid step (default 5 minutes: retained by CloudWatch for 63 days). */
  readonly stepMs?: number;
  /** Steps re-read before the watermark each run, for late data (default 15 minutes). */
  readonly overlapMs?: number;
  /** A watermark further back than this is caught up with the backfills (default 1 day). */
  readonly maxIncrementalMs?: number;
  /** Store reads/writes in flight (default 8). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

export interface UpdateRollupsResult {
  /** End (exclusive) of this run's grid: `nowMs` aligned down to the step. */
  readonly endMs: number;
  readonly results: ReadonlyMap<string, RollupResult>;
  /** The ranges fetched and how many keys each served (one incremental, one backfill at most). */
  readonly fetches: ReadonlyArray<{ readonly range: TimeRange; readonly keys: number }>;
}

interface Plan {
  readonly spec: RollupSpec;
  readonly read: RollupReadResult;
  readonly base: RollupRecord | undefined;
  readonly startMs: number;
  readonly kind: "updated" | "created" | "rebuilt" | "current";
  readonly messages: string[];
}

/** Oldest history CloudWatch can still provide at `stepMs` (5-minute: 63 days). */
export function maxBackfillMs(stepMs: number): number {
  let best = 0;
  for (const t of RETENTION_TIERS) if (stepMs % t.periodMs === 0) best = t.retainedMs;
  return best;
}

/**
 * Brings every objective's rollup up to `nowMs`: reads each stored record, fetches only
 * the steps since its watermark minus `overlapMs` (one shared fetch for all up-to-date
 * keys), backfills new, corrupt or redefined objectives once (one shared fetch), overwrites
 * the overlap instead of adding to it (so a rerun of the same period never double-counts),
 * trims to the retention, and writes back with a conditional write. A lost write race is
 * resolved by re-reading and merging onto the winner.
 *
 * @example
 * const { results } = await updateRollups({
 *   store: new S3RollupStore({ client: s3, bucket }),
 *   specs: defs.flatMap((d) => d.objectives.map((o) => ({
 *     key: rollupKey(d.name, o.name), fingerprint: rollupFingerprint(d, o), retentionMs: rollupRetentionMs(d),
 *   }))),
 *   fetch: async (keys, range) => countsFor(keys, await collectCounts(defsFor(keys), source, range)),
 *   nowMs: Date.now(),
 * });
 */
export async function updateRollups(opts: UpdateRollupsOptions): Promise<UpdateRollupsResult> {
  const stepMs = opts.stepMs ?? 300_000;
  const overlapMs = opts.overlapMs ?? 900_000;
  const maxIncrementalMs = opts.maxIncrementalMs ?? 86_400_000;
  const concurrency = opts.concurrency ?? 8;
  const endMs = Math.floor(opts.nowMs / stepMs) * stepMs;
  const backfillLimit = maxBackfillMs(stepMs);
  const floorStep = (t: number) => Math.floor(t / stepMs) * stepMs;
  const gridStart = (spec: RollupSpec) => endMs - Math.ceil(spec.retentionMs / stepMs) * stepMs;
  const backfillStart = (spec: RollupSpec) =>
    Math.max(gridStart(spec), endMs - Math.floor(backfillLimit / stepMs) * stepMs);

  const reads = await runLimited(opts.specs, concurrency, (spec) => opts.store.read(spec.key));
  const plans: Plan[] = opts.specs.map((spec, i) => {
    const read = reads[i] as RollupReadResult;
    if (read.status === "missing") {
      return {
        spec,
        read,
        base: undefined,
        startMs: backfillStart(spec),
        kind: "created",
        messages: [],
      };
    }
    if (read.status === "corrupt") {
      return {
        spec,
        read,
        base: undefined,
        startMs: backfillStart(spec),
        kind: "rebuilt",
        messages: [read.reason],
      };
    }
    const rec = read.record;
    if (rec.fingerprint !== spec.fingerprint || rec.stepMs !== stepMs) {
      return {
        spec,
        read,
        base: undefined,
        startMs: backfillStart(spec),
        kind: "rebuilt",
        messages: [
          `rollup "${spec.key}" was built for another definition or step; rebuilding its history`,
        ],
      };
    }
    // Stored up to this run's end or beyond: another job of the same step (the SLO
    // calculator and the burn-rate evaluator share the rollups) or a run with a later
    // clock already fetched it. Reading CloudWatch again would bill the same metrics twice.
    if (rec.watermarkMs >= endMs) {
      return { spec, read, base: rec, startMs: endMs, kind: "current", messages: [] };
    }
    const startMs = Math.max(floorStep(rec.watermarkMs - overlapMs), backfillStart(spec));
    return {
      spec,
      read,
      base: rec,
      startMs: Math.min(startMs, endMs - stepMs),
      kind: "updated",
      messages: [],
    };
  });

  const results = new Map<string, RollupResult>();
  for (const p of plans) {
    if (p.kind !== "current" || !p.base) continue;
    // A run with a later clock already stored further; never move its watermark back.
    results.set(p.spec.key, {
      key: p.spec.key,
      outcome: "current",
      counts: toCounts(p.base),
      watermarkMs: p.base.watermarkMs,
      complete: true,
      stored: true,
      messages: [
        p.base.watermarkMs > endMs
          ? "the stored counts are newer than this run; used as stored"
          : "another run already brought these counts up to this step; used as stored",
      ],
    });
  }
  const pending = plans.filter((p) => p.kind !== "current");
  const incremental = pending.filter(
    (p) => p.kind === "updated" && endMs - p.startMs <= maxIncrementalMs,
  );
  const catchUp = pending.filter((p) => !incremental.includes(p));
  const fetches: Array<{ range: TimeRange; keys: number }> = [];

  for (const group of [incremental, catchUp]) {
    if (group.length === 0) continue;
    const range: TimeRange = {
      startMs: Math.min(...group.map((p) => p.startMs)),
      endMs,
      stepMs,
    };
    fetches.push({ range, keys: group.length });
    let fetched: ReadonlyMap<string, FetchedCounts>;
    try {
      fetched = await opts.fetch(
        group.map((p) => p.spec.key),
        range,
      );
    } catch (err) {
      if (err instanceof BudgetExceededError || opts.signal?.aborted) throw err;
      const msg = `fetching counts for ${group.length} objective(s) failed: ${(err as Error).message}`;
      for (const p of group) results.set(p.spec.key, unusable(p, [...p.messages, msg]));
      continue;
    }
    await runLimited(group, concurrency, async (p) => {
      results.set(p.spec.key, await apply(p, fetched.get(p.spec.key), range));
    });
  }

  return {
    endMs,
    results: new Map(opts.specs.map((s) => [s.key, results.get(s.key) as RollupResult])),
    fetches,
  };

  async function apply(
    p: Plan,
    counts: FetchedCounts | undefined,
    range: TimeRange,
  ): Promise<RollupResult> {
    const messages = [...p.messages, ...(counts?.messages ?? [])];
    if (!counts) return unusable(p, [...messages, `no counts were fetched for "${p.spec.key}"`]);
    if (!counts.complete) {
      return unusable(p, [...messages, `counts for "${p.spec.key}" were incomplete; not stored`]);
    }
    let base = p.base;
    let etag = p.read.status === "missing" ? null : p.read.etag;
    for (let attempt = 0; ; attempt++) {
      const record = merge(p.spec, base, counts, range);
      const done = (stored: boolean, extra: string[] = []): RollupResult => ({
        key: p.spec.key,
        outcome: p.kind,
        counts: toCounts(record),
        watermarkMs: record.watermarkMs,
        complete: true,
        stored,
        messages: [...messages, ...extra],
      });
      try {
        await opts.store.write(record, etag);
        return done(true);
      } catch (err) {
        if (err instanceof BudgetExceededError || opts.signal?.aborted) throw err;
        if (!(err instanceof RollupConflictError) || attempt >= 3) {
          // The counts are right; only persisting them failed. The next run re-reads from
          // the stored watermark, so nothing is lost or counted twice.
          return done(false, [`rollup "${p.spec.key}" not stored: ${(err as Error).message}`]);
        }
        const again = await opts.store.read(p.spec.key);
        if (again.status === "found" && again.record.fingerprint === p.spec.fingerprint) {
          if (again.record.watermarkMs >= endMs && again.record.stepMs === stepMs) {
            return {
              key: p.spec.key,
              outcome: "current",
              counts: toCounts(again.record),
              watermarkMs: again.record.watermarkMs,
              complete: true,
              stored: true,
              messages: [...messages, "a concurrent run stored newer counts; using them"],
            };
          }
          base = again.record.stepMs === stepMs ? again.record : undefined;
        } else {
          base = undefined;
        }
        etag = again.status === "missing" ? null : again.etag;
      }
    }
  }

  function merge(
    spec: RollupSpec,
    base: RollupRecord | undefined,
    counts: FetchedCounts,
    range: TimeRange,
  ): RollupRecord {
    const startMs = gridStart(spec);
    const n = (endMs - startMs) / stepMs;
    const good = nanArray(n);
    const total = nanArray(n);
    if (base) {
      // Keep stored steps only before the fetched range: inside it the fresh read wins,
      // which is what makes reruns and overlaps idempotent.
      for (let i = 0; i < base.good.length; i++) {
        const t = base.startMs + i * stepMs;
        if (t < startMs || t >= range.startMs || t >= base.watermarkMs) continue;
        const j = (t - startMs) / stepMs;
        good[j] = base.good[i] as number;
        total[j] = base.total[i] as number;
      }
    }
    const from = (range.startMs - startMs) / stepMs;
    for (let i = 0; i < counts.total.length; i++) {
      const j = from + i;
      if (j < 0 || j >= n) continue;
      good[j] = counts.good[i] as number;
      total[j] = counts.total[i] as number;
    }
    return {
      key: spec.key,
      fingerprint: spec.fingerprint,
      startMs,
      stepMs,
      watermarkMs: endMs,
      good,
      total,
    };
  }
}

function unusable(p: Plan, messages: string[]): RollupResult {
  if (p.base) {
    return {
      key: p.spec.key,
      outcome: "stale",
      counts: toCounts(p.base),
      watermarkMs: p.base.watermarkMs,
      complete: false,
      stored: true,
      messages,
    };
  }
  return { key: p.spec.key, outcome: "failed", complete: false, stored: false, messages };
}

function toCounts(r: RollupRecord): CountSeries {
  return { startMs: r.startMs, stepMs: r.stepMs, good: r.good, total: r.total };
}
