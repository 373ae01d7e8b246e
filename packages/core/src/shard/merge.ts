import { ShardPlanError } from "./errors.ts";
import type { Shard } from "./plan.ts";

/** What one shard returns: its reports and the SLOs it could not evaluate. */
export interface ShardOutcome<R extends { readonly slo: string }, F> {
  readonly shard: string;
  readonly endMs: number;
  readonly reports: readonly R[];
  readonly failed: readonly F[];
}

/** The fleet's evaluation rebuilt from its shards, in the plan's SLO order. */
export interface MergedOutcome<R extends { readonly slo: string }, F> {
  readonly endMs: number;
  readonly reports: R[];
  readonly failed: F[];
  /** Shards of the plan that returned nothing (their SLOs have no report this run). */
  readonly missingShards: string[];
}

/**
 * Merges shard outcomes into one evaluation for the notifier, so each alert is planned
 * once against the one alert-state document (a burn pages once, never once per shard).
 * Refuses outcomes that do not belong to the plan: a shard reported twice, an unknown
 * shard, an SLO outside its shard, or shards evaluated at different steps.
 *
 * @example
 * const merged = mergeShardOutcomes(plan, outcomes, (shard) => ({ scope: "shard", name: shard }));
 */
export function mergeShardOutcomes<R extends { readonly slo: string }, F>(
  plan: readonly Shard[],
  outcomes: readonly ShardOutcome<R, F>[],
  missing: (shard: Shard) => F,
): MergedOutcome<R, F> {
  const byId = new Map(plan.map((s) => [s.id, s]));
  const order = new Map<string, number>();
  for (const s of plan) for (const slo of s.slos) order.set(slo, order.size);
  const got = new Map<string, ShardOutcome<R, F>>();
  let endMs: number | undefined;
  for (const o of outcomes) {
    const shard = byId.get(o.shard);
    if (!shard) throw new ShardPlanError(`outcome of "${o.shard}", which is not in the plan`);
    if (got.has(o.shard)) throw new ShardPlanError(`"${o.shard}" reported twice`);
    if (endMs !== undefined && endMs !== o.endMs) {
      throw new ShardPlanError(
        `"${o.shard}" evaluated the step ending ${new Date(o.endMs).toISOString()}, the others ${new Date(endMs).toISOString()}; all shards of a run must share the run's time`,
      );
    }
    const own = new Set(shard.slos);
    const stray = o.reports.find((r) => !own.has(r.slo));
    if (stray)
      throw new ShardPlanError(`"${o.shard}" reported "${stray.slo}", not one of its SLOs`);
    got.set(o.shard, o);
    endMs = o.endMs;
  }
  const reports = [...got.values()]
    .flatMap((o) => o.reports)
    .sort((a, b) => (order.get(a.slo) ?? 0) - (order.get(b.slo) ?? 0));
  const failed: F[] = [];
  const missingShards: string[] = [];
  for (const s of plan) {
    const o = got.get(s.id);
    if (o) failed.push(...o.failed);
    else {
      missingShards.push(s.id);
      failed.push(missing(s));
    }
  }
  return { endMs: endMs ?? Number.NaN, reports, failed, missingShards };
}
