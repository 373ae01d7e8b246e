import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fleetServiceSlos } from "../../testing/fleet-slos.ts";
import { ShardPlanError } from "./errors.ts";
import { mergeShardOutcomes } from "./merge.ts";
import { planShards, shardDefinitions } from "./plan.ts";

const fleet = (services: number) =>
  Array.from({ length: services }, (_, i) => fleetServiceSlos(`svc-${i}`)).flat();

describe("planShards", () => {
  it("keeps a fleet at or below the threshold in one shard", () => {
    const defs = fleet(10);
    const plan = planShards(defs, { threshold: 40, targetSlosPerShard: 10 });
    expect(plan).toHaveLength(1);
    expect(plan[0]?.id).toBe("shard-0-of-1");
    expect(plan[0]?.slos).toEqual(defs.map((d) => d.name));
  });

  it("covers every SLO exactly once and never splits a service", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 300 }),
        (n, target) => {
          const defs = fleet(n);
          const plan = planShards(defs, { threshold: 0, targetSlosPerShard: target });
          const all = plan.flatMap((s) => s.slos);
          expect(new Set(all).size).toBe(defs.length);
          expect(all).toHaveLength(defs.length);
          const owner = new Map<string, string>();
          for (const s of plan) {
            for (const svc of s.services) {
              expect(owner.has(svc)).toBe(false);
              owner.set(svc, s.id);
            }
            for (const d of shardDefinitions(defs, s)) expect(owner.get(d.service)).toBe(s.id);
          }
          const count = plan[0]?.count ?? 0;
          expect(Number.isInteger(Math.log2(count))).toBe(true);
          expect(count).toBeGreaterThanOrEqual(defs.length / target);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("keeps a service in its shard as the fleet grows, until the shard count doubles", () => {
    const small = planShards(fleet(600), { threshold: 0, targetSlosPerShard: 500 });
    const grown = planShards(fleet(700), { threshold: 0, targetSlosPerShard: 500 });
    expect(small[0]?.count).toBe(grown[0]?.count);
    const where = (plan: typeof small, svc: string) =>
      plan.find((s) => s.services.includes(svc))?.id;
    for (let i = 0; i < 600; i++) expect(where(grown, `svc-${i}`)).toBe(where(small, `svc-${i}`));
  });

  it("refuses options it cannot plan, naming the profile field", () => {
    expect(() => planShards(fleet(1), { threshold: -1, targetSlosPerShard: 1 })).toThrow(
      /shardAbove/,
    );
    expect(() => planShards(fleet(1), { threshold: 0, targetSlosPerShard: 0 })).toThrow(
      ShardPlanError,
    );
  });

  it("refuses a stale shard that names SLOs the definitions lost", () => {
    expect(() => shardDefinitions(fleet(1), { id: "shard-0-of-1", slos: ["gone"] })).toThrow(
      /re-plan/,
    );
  });
});

describe("mergeShardOutcomes", () => {
  const defs = fleet(40);
  const plan = planShards(defs, { threshold: 0, targetSlosPerShard: 40 });
  const outcome = (i: number, endMs = 1000) => {
    const s = plan[i];
    if (!s) throw new Error("no shard");
    return { shard: s.id, endMs, reports: s.slos.map((slo) => ({ slo })), failed: [] as string[] };
  };

  it("rebuilds the plan's SLO order from shards in any order", () => {
    expect(plan.length).toBeGreaterThan(1);
    const merged = mergeShardOutcomes(plan, plan.map((_, i) => outcome(i)).reverse(), (s) => s.id);
    expect(merged.reports.map((r) => r.slo)).toEqual(plan.flatMap((s) => s.slos));
    expect(merged.missingShards).toEqual([]);
    expect(merged.endMs).toBe(1000);
  });

  it("reports a missing shard as a failure and keeps the others", () => {
    const merged = mergeShardOutcomes(plan, [outcome(0)], (s) => `missing ${s.id}`);
    expect(merged.missingShards).toHaveLength(plan.length - 1);
    expect(merged.failed).toContain(`missing ${plan[1]?.id}`);
    expect(merged.reports).toHaveLength(plan[0]?.slos.length ?? -1);
  });

  it("refuses duplicates, strays and mixed steps", () => {
    expect(() => mergeShardOutcomes(plan, [outcome(0), outcome(0)], (s) => s.id)).toThrow(/twice/);
    expect(() => mergeShardOutcomes(plan, [outcome(0), outcome(1, 2000)], (s) => s.id)).toThrow(
      /share the run's time/,
    );
    const stray = { ...outcome(0), reports: [{ slo: plan[1]?.slos[0] ?? "" }] };
    expect(() => mergeShardOutcomes(plan, [stray], (s) => s.id)).toThrow(/not one of its SLOs/);
  });
});
