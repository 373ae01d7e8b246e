import type { SloDefinition } from "../spec/model.ts";
import { ShardPlanError } from "./errors.ts";

export interface ShardOptions {
  /** Up to this many SLOs the fleet is one shard: one invocation, as before. */
  readonly threshold: number;
  /** Average SLOs per shard above the threshold (the shard count is a power of two). */
  readonly targetSlosPerShard: number;
}

/** One unit of evaluation: whole services, so each SLO's metrics are fetched once. */
export interface Shard {
  /** Stable name, also the shard's rollup object name: `shard-<index>-of-<count>`. */
  readonly id: string;
  readonly index: number;
  readonly count: number;
  readonly services: readonly string[];
  /** SLO names in definition order. */
  readonly slos: readonly string[];
}

/**
 * Shards running at once in a Map. Each shard keeps at most 2 GetMetricData calls in
 * flight (CloudWatchMetricsSource's default), so 8 calls at a time account-wide: at
 * CloudWatch's ~150 ms or more per call that stays under the 50 TPS default quota, and the
 * SDK's adaptive retries absorb a throttle. A steady run makes ~2 calls per shard anyway;
 * the limit matters for backfills.
 */
export const SHARD_MAP_CONCURRENCY = 4;

/**
 * Default: shard above 500 SLOs, ~500 per shard. 500 SLOs of 30 days at 5 minutes are
 * ~70 MB of counts in memory and ~2 GetMetricData calls per incremental run.
 */
export const DEFAULT_SHARD_OPTIONS: ShardOptions = { threshold: 500, targetSlosPerShard: 500 };

/**
 * Splits SLOs into shards by service. At or below `threshold` SLOs there is one shard
 * (`shard-0-of-1`). Above it, a service goes to shard `fnv1a(service) mod count`, with
 * `count` the power of two >= SLOs / target: a service never changes shard while the
 * count holds, and when the fleet doubles only about half the services move (their
 * rollups backfill once in the new shard's object). Services are never split: the
 * metric queries of a service's SLOs are deduplicated only within one fetch.
 *
 * @example
 * planShards(defs, { threshold: 500, targetSlosPerShard: 500 }).map((s) => s.id);
 * // ["shard-0-of-1"] for the 40-SLO fleet
 */
export function planShards(
  defs: readonly SloDefinition[],
  opts: ShardOptions = DEFAULT_SHARD_OPTIONS,
): Shard[] {
  if (!Number.isInteger(opts.threshold) || opts.threshold < 0) {
    throw new ShardPlanError(
      `shard threshold is ${opts.threshold}; set profile.jobs.shardAbove to a whole number >= 0`,
    );
  }
  if (!Number.isInteger(opts.targetSlosPerShard) || opts.targetSlosPerShard < 1) {
    throw new ShardPlanError(
      `targetSlosPerShard is ${opts.targetSlosPerShard}; set profile.jobs.slosPerShard to a whole number >= 1`,
    );
  }
  const count =
    defs.length <= opts.threshold
      ? 1
      : 2 ** Math.ceil(Math.log2(Math.max(1, defs.length / opts.targetSlosPerShard)));
  const services: string[][] = Array.from({ length: count }, () => []);
  const slos: string[][] = Array.from({ length: count }, () => []);
  const seen = new Set<string>();
  for (const d of defs) {
    const i = count === 1 ? 0 : fnv1a(d.service) % count;
    if (!seen.has(d.service)) {
      seen.add(d.service);
      services[i]?.push(d.service);
    }
    slos[i]?.push(d.name);
  }
  return services
    .map((svc, index) => ({
      id: shardId(index, count),
      index,
      count,
      services: svc,
      slos: slos[index] ?? [],
    }))
    .filter((s) => s.slos.length > 0);
}

/** `shard-<index>-of-<count>`. */
export function shardId(index: number, count: number): string {
  return `shard-${index}-of-${count}`;
}

/**
 * The definitions a shard evaluates, in definition order. Throws when the shard names an
 * SLO the definitions no longer have (the plan is stale: re-plan, do not guess).
 *
 * @example
 * const mine = shardDefinitions(defs, shard);
 */
export function shardDefinitions(
  defs: readonly SloDefinition[],
  shard: Pick<Shard, "id" | "slos">,
): SloDefinition[] {
  const wanted = new Set(shard.slos);
  const out = defs.filter((d) => wanted.has(d.name));
  if (out.length !== wanted.size) {
    const have = new Set(out.map((d) => d.name));
    const gone = shard.slos.filter((s) => !have.has(s));
    throw new ShardPlanError(
      `${shard.id} lists SLOs the definitions do not have (${gone.slice(0, 3).join(", ")}); re-plan the shards from the current definitions`,
    );
  }
  return out;
}

/** 32-bit FNV-1a: stable across runs and platforms, unlike any runtime hash. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
