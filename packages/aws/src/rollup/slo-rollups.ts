import type { CountSeries, MetricsSource } from "@slo/core/metrics";
import { collectCounts } from "@slo/core/metrics";
import type { SloDefinition } from "@slo/core/spec";
import {
  type CountsFetcher,
  type FetchedCounts,
  type RollupResult,
  type RollupSpec,
  type UpdateRollupsResult,
  updateRollups,
} from "./incremental.ts";
import { rollupFingerprint, rollupKey, rollupRetentionMs } from "./keys.ts";
import type { RollupStore } from "./store.ts";

/**
 * The rollup specs of a set of SLOs: one per objective.
 *
 * @example
 * sloRollupSpecs(defs).length; // 41 for the ten-service fleet (with the mesh SLO)
 */
export function sloRollupSpecs(defs: readonly SloDefinition[]): RollupSpec[] {
  return defs.flatMap((d) =>
    d.objectives.map((o) => ({
      key: rollupKey(d.name, o.name),
      fingerprint: rollupFingerprint(d, o),
      retentionMs: rollupRetentionMs(d),
    })),
  );
}

/**
 * A `CountsFetcher` over the core's `collectCounts` (one planned, deduplicated fetch of
 * the SLOs behind the requested keys). SLOs that failed or rest on partial data come back
 * `complete: false` with the reason, so they are never stored as if complete.
 *
 * @example
 * const fetch = collectCountsFetcher(defs, new CloudWatchMetricsSource({ client }));
 */
export function collectCountsFetcher(
  defs: readonly SloDefinition[],
  source: MetricsSource,
): CountsFetcher {
  return async (keys, range) => {
    const wanted = new Set(keys);
    const subset = defs.filter((d) =>
      d.objectives.some((o) => wanted.has(rollupKey(d.name, o.name))),
    );
    const result = await collectCounts(subset, source, range);
    const out = new Map<string, FetchedCounts>();
    for (const d of subset) {
      const counts = result.counts.get(d.name);
      const failure = result.failures.get(d.name);
      const messages = [...(result.warnings.get(d.name) ?? []), ...(failure ? [failure] : [])];
      d.objectives.forEach((o, i) => {
        const c = counts?.[i];
        out.set(rollupKey(d.name, o.name), {
          good: c?.good ?? new Float64Array(),
          total: c?.total ?? new Float64Array(),
          complete: c !== undefined && failure === undefined && !result.incomplete.has(d.name),
          messages,
        });
      });
    }
    return out;
  };
}

/** One SLO's state after a rollup run. */
export interface SloRollupState {
  readonly slo: string;
  /** One per objective, in definition order; absent when any objective has no counts. */
  readonly counts?: CountSeries[];
  /** True when every objective's counts reach this run's end from complete data. */
  readonly complete: boolean;
  readonly objectives: readonly RollupResult[];
}

export interface UpdateSloRollupsOptions {
  readonly defs: readonly SloDefinition[];
  readonly source: MetricsSource;
  readonly store: RollupStore;
  readonly nowMs: number;
  readonly stepMs?: number;
  readonly overlapMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * The scheduled job's whole data path: brings every SLO objective's rollup up to `nowMs`
 * (incremental fetch, one-time backfill) and returns per-SLO counts ready for
 * `evaluateSlo(def, counts, endMs)`.
 *
 * @example
 * const { endMs, slos } = await updateSloRollups({ defs, source, store, nowMs: Date.now() });
 * for (const s of slos.values()) if (s.counts && s.complete) evaluateSlo(defOf(s.slo), s.counts, endMs);
 */
export async function updateSloRollups(
  opts: UpdateSloRollupsOptions,
): Promise<{ endMs: number; slos: Map<string, SloRollupState>; run: UpdateRollupsResult }> {
  const run = await updateRollups({
    store: opts.store,
    specs: sloRollupSpecs(opts.defs),
    fetch: collectCountsFetcher(opts.defs, opts.source),
    nowMs: opts.nowMs,
    ...(opts.stepMs !== undefined ? { stepMs: opts.stepMs } : {}),
    ...(opts.overlapMs !== undefined ? { overlapMs: opts.overlapMs } : {}),
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
  });
  const slos = new Map<string, SloRollupState>();
  for (const d of opts.defs) {
    const objectives = d.objectives.map(
      (o) => run.results.get(rollupKey(d.name, o.name)) as RollupResult,
    );
    const all = objectives.map((r) => r.counts);
    const counts = all.every((c): c is CountSeries => c !== undefined) ? all : undefined;
    slos.set(d.name, {
      slo: d.name,
      ...(counts ? { counts } : {}),
      complete: objectives.every((r) => r.complete),
      objectives,
    });
  }
  return { endMs: run.endMs, slos, run };
}
