import { createRunBudget, MemoryShardObjectStore } from "@slo/aws";
import { EMBEDDED_FLEET_END_MS } from "@slo/core/embedded";
import { mergeShardOutcomes } from "@slo/core/shard";
import { gateObjectivesFromStageReport } from "@slo/core/stage-report";
import { describe, expect, it } from "vitest";
import type { AlertNotification } from "../runtime/alert-state.ts";
import { fakeLambdaContext } from "../runtime/lambda-context.ts";
import { localDeps } from "../runtime/local-deps.ts";
import { MemoryShardResults } from "../runtime/shard-results.ts";
import { invokeCapturingStdout, REPO_ROOT } from "../test-helpers.ts";
import { createBurnRateEvaluator } from "./burn-rate-evaluator.ts";
import { evaluateFleet } from "./evaluate-fleet.ts";
import {
  createBurnRateShard,
  createShardMerge,
  currentShards,
  evaluateShard,
  type ShardedDeps,
} from "./sharded.ts";

const TIME = new Date(EMBEDDED_FLEET_END_MS).toISOString();

function shardedDeps(): ShardedDeps & ReturnType<typeof localDeps> {
  const objects = new MemoryShardObjectStore();
  return {
    ...localDeps("burn-rate-evaluator", { cwd: REPO_ROOT }),
    // 41 SLOs (ten services x four and the mesh SLO), ~10 per shard: shards of whole services.
    shardOptions: { threshold: 0, targetSlosPerShard: 10 },
    shardObjects: () => objects,
    shardResults: new MemoryShardResults(),
  };
}

const run = () => ({
  nowMs: EMBEDDED_FLEET_END_MS,
  budget: createRunBudget(300_000, 1_000),
  context: fakeLambdaContext("burn-rate-evaluator"),
});

const brief = (n: AlertNotification) => `${n.kind} ${n.key} @${n.atMs}`;

async function shardedCycle(deps: ShardedDeps, skip: readonly string[] = []) {
  for (const s of await currentShards(deps)) {
    if (skip.includes(s.id)) continue;
    const r = await invokeCapturingStdout(createBurnRateShard(deps), "burn-rate-evaluator", {
      event: { time: TIME, shard: s.id },
    });
    expect(r.error).toBeUndefined();
  }
  return invokeCapturingStdout(createShardMerge(deps), "burn-rate-evaluator", {
    event: { time: TIME },
  });
}

describe("sharded evaluation", () => {
  it("produces the same reports as one invocation for the same data", async () => {
    const single = localDeps("burn-rate-evaluator", { cwd: REPO_ROOT });
    const one = await evaluateFleet(single, run(), {});
    const deps = shardedDeps();
    const plan = await currentShards(deps);
    expect(plan.length).toBeGreaterThan(1);
    const outcomes = [];
    for (const s of plan) {
      const { fleet } = await evaluateShard(deps, run(), s.id);
      outcomes.push({
        shard: s.id,
        endMs: fleet.endMs,
        reports: fleet.reports,
        failed: fleet.failed,
        objectives: [],
      });
    }
    const merged = mergeShardOutcomes(plan, outcomes.reverse(), (s) => ({
      scope: "run" as const,
      name: s.id,
      reason: "missing",
    }));
    expect(one.reports).toHaveLength(41);
    expect(merged.reports.map((r) => r.slo).sort()).toEqual(one.reports.map((r) => r.slo).sort());
    const byName = new Map(merged.reports.map((r) => [r.slo, r]));
    for (const r of one.reports) expect(byName.get(r.slo)).toEqual(r);
    expect(merged.failed).toEqual(one.failed);
    // One rollup object per shard, not per SLO.
    expect(single.rollups.objects.size).toBe(41);
    const objects = deps.shardObjects(new AbortController().signal) as MemoryShardObjectStore;
    expect(objects.objects.size).toBe(plan.length);
  });

  it("pages once per burn after the merge, publishes what one invocation publishes, and a retried merge sends nothing", async () => {
    const single = localDeps("burn-rate-evaluator", { cwd: REPO_ROOT });
    await invokeCapturingStdout(createBurnRateEvaluator(single), "burn-rate-evaluator", {
      event: { time: TIME },
    });
    const deps = shardedDeps();
    const merge = await shardedCycle(deps);
    expect(merge.error).toBeUndefined();
    expect(merge.result?.notifications).toBe(7);
    expect(deps.notifications.sent.map(brief).sort()).toEqual(
      single.notifications.sent.map(brief).sort(),
    );
    const key = (p: { name: string; dimensions: Record<string, string>; value: number }) =>
      `${p.name} ${JSON.stringify(p.dimensions)} ${p.value}`;
    expect(deps.recorder.points.map(key).sort()).toEqual(single.recorder.points.map(key).sort());
    // The merge writes the stage report one invocation writes, byte for byte.
    const shardedReport = await deps.stageReports.get();
    expect(shardedReport?.objectives).toHaveLength(41);
    expect(JSON.stringify(shardedReport)).toBe(JSON.stringify(await single.stageReports.get()));

    const retried = await invokeCapturingStdout(createShardMerge(deps), "burn-rate-evaluator", {
      event: { time: TIME },
    });
    expect(retried.result?.notifications).toBe(0);
    const again = await shardedCycle(deps);
    expect(again.result?.notifications).toBe(0);
    expect(deps.notifications.sent).toHaveLength(7);
  });

  it("reports a missing shard by name, pages the others, and pages the late shard once when it lands", async () => {
    const deps = shardedDeps();
    const plan = await currentShards(deps);
    const late = plan.find((s) => s.slos.includes("payment-service-availability"));
    if (!late) throw new Error("no shard holds payment-service");
    const first = await shardedCycle(deps, [late.id]);
    expect(first.result?.failed.map((f) => f.name)).toContain(late.id);
    // The stage report lists the late shard's SLOs as failed: the gate fails closed on them.
    const report = await deps.stageReports.get();
    expect(report?.failed.map((f) => f.name).filter((n) => late.slos.includes(n))).toEqual(
      [...late.slos].sort(),
    );
    expect(report?.objectives.some((o) => late.slos.includes(o.slo))).toBe(false);
    const slos = (await deps.loadSlos()).slos.filter((d) => late.slos.includes(d.name));
    const gate = gateObjectivesFromStageReport(
      report as NonNullable<typeof report>,
      slos,
      "local",
      EMBEDDED_FLEET_END_MS,
    );
    expect(gate.every((g) => g.untrusted?.includes(`${late.id} left no result`))).toBe(true);
    expect(deps.notifications.sent.some((n) => late.slos.includes(n.slo))).toBe(false);
    const before = deps.notifications.sent.length;
    await invokeCapturingStdout(createBurnRateShard(deps), "burn-rate-evaluator", {
      event: { time: TIME, shard: late.id },
    });
    const merged = await invokeCapturingStdout(createShardMerge(deps), "burn-rate-evaluator", {
      event: { time: TIME },
    });
    expect(merged.result?.failed).toEqual([]);
    const now = deps.notifications.sent.slice(before);
    expect(now.length).toBeGreaterThan(0);
    expect(now.every((n) => late.slos.includes(n.slo))).toBe(true);
    expect(deps.notifications.sent).toHaveLength(7);
    expect(new Set(deps.notifications.sent.map((n) => n.key)).size).toBe(7);
  });
});
