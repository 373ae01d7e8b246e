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

/** What one objective's rollup needs this run, decided from its stored record. */
export interface Plan {
  readonly spec: RollupSpec;
  readonly read: RollupReadResult;
  readonly base: RollupRecord | undefined;
  readonly startMs: number;
  readonly kind: "updated" | "created" | "rebuilt" | "current";
  readonly messages: string[];
}

/** This run's grid: every record written ends at `endMs` on `stepMs`. */
export interface RollupGrid {
  readonly stepMs: number;
  readonly endMs: number;
  readonly overlapMs: number;
  /** `maxBackfillMs(stepMs)`: how far back CloudWatch still has data. */
  readonly backfillLimitMs: number;
}

/** Write attempts after a lost conditional write before giving up for this run. */
const CONFLICT_RETRIES = 3;

/** Oldest history CloudWatch can still provide at `stepMs` (5-minute: 63 days). */
export function maxBackfillMs(stepMs: number): number {
  let best = 0;
  for (const t of RETENTION_TIERS) if (stepMs % t.periodMs === 0) best = t.retainedMs;
  return best;
}

/** First step a record for `spec` keeps: its retention before the grid's end. */
function gridStart(grid: RollupGrid, spec: RollupSpec): number {
  return grid.endMs - Math.ceil(spec.retentionMs / grid.stepMs) * grid.stepMs;
}

/** Where a (re)built history starts: the retention, or as far back as CloudWatch reaches. */
function backfillStart(grid: RollupGrid, spec: RollupSpec): number {
  const reachable = grid.endMs - Math.floor(grid.backfillLimitMs / grid.stepMs) * grid.stepMs;
  return Math.max(gridStart(grid, spec), reachable);
}

/**
 * Step 1: what to fetch for one objective. A missing, corrupt or redefined record is
 * backfilled; one already at the grid's end is `current`; otherwise the steps since
 * its watermark, minus the overlap for late data, are re-read.
 *
 * @example
 * planRollup(spec, await store.read(spec.key), grid).kind; // "updated"
 */
export function planRollup(spec: RollupSpec, read: RollupReadResult, grid: RollupGrid): Plan {
  const backfill = (kind: "created" | "rebuilt", messages: string[]): Plan => ({
    spec,
    read,
    base: undefined,
    startMs: backfillStart(grid, spec),
    kind,
    messages,
  });
  if (read.status === "missing") return backfill("created", []);
  if (read.status === "corrupt") return backfill("rebuilt", [read.reason]);
  const rec = read.record;
  if (rec.fingerprint !== spec.fingerprint || rec.stepMs !== grid.stepMs) {
    return backfill("rebuilt", [
      `rollup "${spec.key}" was built for another definition or step; rebuilding its history`,
    ]);
  }
  // Stored up to this run's end or beyond: another job of the same step (the SLO
  // calculator and the burn-rate evaluator share the rollups) or a run with a later
  // clock already fetched it. Reading CloudWatch again would bill the same metrics twice.
  if (rec.watermarkMs >= grid.endMs) {
    return { spec, read, base: rec, startMs: grid.endMs, kind: "current", messages: [] };
  }
  const overlapStart = Math.floor((rec.watermarkMs - grid.overlapMs) / grid.stepMs) * grid.stepMs;
  const startMs = Math.max(overlapStart, backfillStart(grid, spec));
  return {
    spec,
    read,
    base: rec,
    startMs: Math.min(startMs, grid.endMs - grid.stepMs),
    kind: "updated",
    messages: [],
  };
}

/** A record at or past this run's end, used as stored; its watermark never moves back. */
function currentResult(
  key: string,
  record: RollupRecord,
  messages: readonly string[],
): RollupResult {
  return {
    key,
    outcome: "current",
    counts: toCounts(record),
    watermarkMs: record.watermarkMs,
    complete: true,
    stored: true,
    messages: [...messages],
  };
}

/**
 * Step 2: the fetch groups. Keys whose gap since the watermark is at most
 * `maxIncrementalMs` share one short fetch; the rest (backfills, long catch-ups) share
 * one long fetch, so a single stale key does not make every key read days of data.
 */
export function fetchGroups(
  plans: readonly Plan[],
  endMs: number,
  maxIncrementalMs: number,
): Plan[][] {
  const pending = plans.filter((p) => p.kind !== "current");
  const incremental = pending.filter(
    (p) => p.kind === "updated" && endMs - p.startMs <= maxIncrementalMs,
  );
  const catchUp = pending.filter((p) => !incremental.includes(p));
  return [incremental, catchUp].filter((g) => g.length > 0);
}

/**
 * Step 3: the record to store. Stored steps are kept only before the fetched range:
 * inside it the fresh read wins, which is what makes reruns and overlaps idempotent.
 * The result is trimmed to the retention and ends at the grid's end.
 *
 * @example
 * mergeCounts(grid, spec, stored, fetched, range).watermarkMs === grid.endMs; // true
 */
export function mergeCounts(
  grid: RollupGrid,
  spec: RollupSpec,
  base: RollupRecord | undefined,
  counts: Pick<FetchedCounts, "good" | "total">,
  range: TimeRange,
): RollupRecord {
  const { stepMs, endMs } = grid;
  const startMs = gridStart(grid, spec);
  const n = (endMs - startMs) / stepMs;
  const good = nanArray(n);
  const total = nanArray(n);
  if (base) {
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

/** Errors that end the whole run rather than one key's write. */
function isFatal(err: unknown, signal: AbortSignal | undefined): boolean {
  return err instanceof BudgetExceededError || signal?.aborted === true;
}

/**
 * Step 4: merge and write one objective's counts with a conditional write. After a lost
 * race it re-reads: a winner at this run's end is used as is (`current`); otherwise the
 * counts are merged onto the winner and written again, up to {@link CONFLICT_RETRIES}
 * times. A write that still fails leaves the counts right but unstored: the next run
 * re-reads from the stored watermark, so nothing is lost or counted twice.
 */
async function store(
  p: Plan,
  counts: FetchedCounts,
  range: TimeRange,
  messages: readonly string[],
  ctx: { readonly grid: RollupGrid; readonly store: RollupStore; readonly signal?: AbortSignal },
): Promise<RollupResult> {
  const { grid } = ctx;
  let base = p.base;
  let etag = p.read.status === "missing" ? null : p.read.etag;
  let record = mergeCounts(grid, p.spec, base, counts, range);
  let failure = "";
  for (let attempt = 0; attempt <= CONFLICT_RETRIES; attempt++) {
    try {
      await ctx.store.write(record, etag);
      return written(p, record, true, messages);
    } catch (err) {
      if (isFatal(err, ctx.signal)) throw err;
      failure = (err as Error).message;
      if (!(err instanceof RollupConflictError) || attempt === CONFLICT_RETRIES) break;
    }
    const again = await ctx.store.read(p.spec.key);
    const sameDefinition =
      again.status === "found" && again.record.fingerprint === p.spec.fingerprint;
    if (sameDefinition && again.record.stepMs === grid.stepMs) {
      if (again.record.watermarkMs >= grid.endMs) {
        return currentResult(p.spec.key, again.record, [
          ...messages,
          "a concurrent run stored newer counts; using them",
        ]);
      }
      base = again.record;
    } else {
      base = undefined;
    }
    etag = again.status === "missing" ? null : again.etag;
    record = mergeCounts(grid, p.spec, base, counts, range);
  }
  return written(p, record, false, [...messages, `rollup "${p.spec.key}" not stored: ${failure}`]);
}

function written(
  p: Plan,
  record: RollupRecord,
  stored: boolean,
  messages: readonly string[],
): RollupResult {
  return {
    key: p.spec.key,
    outcome: p.kind,
    counts: toCounts(record),
    watermarkMs: record.watermarkMs,
    complete: true,
    stored,
    messages: [...messages],
  };
}

/**
 * Brings every objective's rollup up to `nowMs`: reads each stored record, fetches only
 * the steps since its watermark minus `overlapMs` (one shared fetch for all up-to-date
 * keys), backfills new, corrupt or redefined objectives once (one shared fetch), overwrites
 * the overlap instead of adding to it (so a rerun of the same period never double-counts),
 * trims to the retention, and writes back with a conditional write. A lost write race is
 * resolved by re-reading and merging onto the winner. The steps are {@link planRollup},
 * {@link fetchGroups}, {@link mergeCounts} and a conditional write with retries.
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
  const concurrency = opts.concurrency ?? 8;
  const grid: RollupGrid = {
    stepMs,
    endMs: Math.floor(opts.nowMs / stepMs) * stepMs,
    overlapMs: opts.overlapMs ?? 900_000,
    backfillLimitMs: maxBackfillMs(stepMs),
  };
  const { endMs } = grid;

  const reads = await runLimited(opts.specs, concurrency, (spec) => opts.store.read(spec.key));
  const plans = opts.specs.map((spec, i) => planRollup(spec, reads[i] as RollupReadResult, grid));

  const results = new Map<string, RollupResult>();
  for (const p of plans) {
    if (p.kind !== "current" || !p.base) continue;
    const message =
      p.base.watermarkMs > endMs
        ? "the stored counts are newer than this run; used as stored"
        : "another run already brought these counts up to this step; used as stored";
    results.set(p.spec.key, currentResult(p.spec.key, p.base, [message]));
  }

  const fetches: Array<{ range: TimeRange; keys: number }> = [];
  const storeCtx = { grid, store: opts.store, ...(opts.signal ? { signal: opts.signal } : {}) };
  for (const group of fetchGroups(plans, endMs, opts.maxIncrementalMs ?? 86_400_000)) {
    const range: TimeRange = { startMs: Math.min(...group.map((p) => p.startMs)), endMs, stepMs };
    fetches.push({ range, keys: group.length });
    let fetched: ReadonlyMap<string, FetchedCounts>;
    try {
      fetched = await opts.fetch(
        group.map((p) => p.spec.key),
        range,
      );
    } catch (err) {
      if (isFatal(err, opts.signal)) throw err;
      const msg = `fetching counts for ${group.length} objective(s) failed: ${(err as Error).message}`;
      for (const p of group) results.set(p.spec.key, unusable(p, [...p.messages, msg]));
      continue;
    }
    await runLimited(group, concurrency, async (p) => {
      const counts = fetched.get(p.spec.key);
      const messages = [...p.messages, ...(counts?.messages ?? [])];
      let result: RollupResult;
      if (!counts) {
        result = unusable(p, [...messages, `no counts were fetched for "${p.spec.key}"`]);
      } else if (!counts.complete) {
        result = unusable(p, [
          ...messages,
          `counts for "${p.spec.key}" were incomplete; not stored`,
        ]);
      } else {
        result = await store(p, counts, range, messages, storeCtx);
      }
      results.set(p.spec.key, result);
    });
  }

  return {
    endMs,
    results: new Map(opts.specs.map((s) => [s.key, results.get(s.key) as RollupResult])),
    fetches,
  };
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
