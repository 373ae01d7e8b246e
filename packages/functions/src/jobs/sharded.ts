import { type ShardObjectStore, ShardRollupStore } from "@slo/aws";
import { SloPlatformError } from "@slo/core/errors";
import {
  mergeShardOutcomes,
  planShards,
  type Shard,
  type ShardOptions,
  shardDefinitions,
} from "@slo/core/shard";
import { stageReportObjectives } from "@slo/core/stage-report";
import type { AlertObservation } from "../runtime/alert-state.ts";
import type { BurnRateDeps } from "../runtime/deps.ts";
import { errorMessage } from "../runtime/errors.ts";
import { createJobHandler, type JobFailure, type RunContext } from "../runtime/job.ts";
import type { ShardResultStore } from "../runtime/shard-results.ts";
import { BURN_RATE_METRICS, notifyChanges, observeAll } from "./burn-rate-evaluator.ts";
import {
  evaluateFleet,
  type FleetEvaluation,
  profileUnits,
  publishUnits,
} from "./evaluate-fleet.ts";
import { SLO_CALCULATOR_METRICS } from "./slo-calculator.ts";
import { serviceStateUnits, sloUnits, writeStageReport } from "./stage-report.ts";

/** What the sharded jobs need beyond the single-invocation ones. */
export interface ShardedDeps extends BurnRateDeps {
  readonly shardOptions: ShardOptions;
  /** Where each shard's one rollup object lives. */
  readonly shardObjects: (signal: AbortSignal) => ShardObjectStore;
  readonly shardResults: ShardResultStore;
}

/** The event of a shard invocation (one item of the state machine's Map). */
export interface ShardEvent {
  /** The scheduled time of the run: every shard of a run evaluates the same step. */
  readonly time: string;
  readonly shard: string;
}

/**
 * The current shard plan, from the loaded definitions (the planner step and the merge
 * step both compute it, so no plan travels through the execution).
 *
 * @example
 * const shards = await currentShards(deps);
 */
export async function currentShards(deps: ShardedDeps): Promise<Shard[]> {
  const { slos } = await deps.loadSlos();
  return planShards(slos, deps.shardOptions);
}

/**
 * Evaluates one shard: its SLOs only, their rollups read in one GET of the shard's
 * object and written back in one PUT. A failed write costs nothing but a re-read next
 * run (the watermark did not move), so it is reported, not fatal.
 *
 * @example
 * const { fleet } = await evaluateShard(deps, run, "shard-3-of-16");
 */
export async function evaluateShard(
  deps: ShardedDeps,
  run: RunContext,
  shardId: string,
): Promise<{ readonly shard: Shard; readonly fleet: FleetEvaluation }> {
  const shard = (await currentShards(deps)).find((s) => s.id === shardId);
  if (!shard) {
    throw new ShardNotPlannedError(
      `${shardId} is not in the current shard plan; the execution was planned from other definitions: start a new run`,
    );
  }
  const store = await ShardRollupStore.open(deps.shardObjects(run.budget.signal), shard.id);
  const fleet = await evaluateFleet(deps, run, {
    select: (all) => shardDefinitions(all, shard),
    store,
  });
  try {
    await store.flush();
  } catch (error) {
    fleet.failed.push({ scope: "run", name: `${shard.id} rollup`, reason: errorMessage(error) });
  }
  return { shard, fleet };
}

/**
 * One shard of the SLO calculator: evaluate and publish SLI, compliance and budget.
 *
 * @example
 * export const handler = createSloCalculatorShard(deps); // event: { time, shard }
 */
export function createSloCalculatorShard(deps: ShardedDeps) {
  return createJobHandler("slo-calculator", deps, async (run) => {
    const { fleet } = await evaluateShard(deps, run, shardOf(run));
    const units = profileUnits(deps, fleet.reports, SLO_CALCULATOR_METRICS);
    const published = await publishUnits(deps.sink(run.budget.signal), units);
    return {
      evaluatedAt: new Date(fleet.endMs).toISOString(),
      succeeded: published.publishedUnits,
      failed: [...fleet.failed, ...published.failed],
      published: published.published,
    };
  });
}

/**
 * One shard of the burn-rate evaluator: evaluate, publish alert state (per service: a
 * shard holds whole services, so its worst state is the service's), and leave the alert
 * observations and stage report rows for the merge step. It never notifies: the merge
 * does, once, against the one alert-state document, so a burn pages once.
 *
 * @example
 * export const handler = createBurnRateShard(deps); // event: { time, shard }
 */
export function createBurnRateShard(deps: ShardedDeps) {
  return createJobHandler("burn-rate-evaluator", deps, async (run) => {
    const { shard, fleet } = await evaluateShard(deps, run, shardOf(run));
    const objectives = stageReportObjectives(fleet.reports);
    const units = [
      ...profileUnits(deps, fleet.reports, BURN_RATE_METRICS),
      ...serviceStateUnits(deps, objectives, fleet.endMs),
    ];
    const published = await publishUnits(deps.sink(run.budget.signal), units);
    const failed = [...fleet.failed, ...published.failed];
    // Written even when empty: the merge tells "evaluated, nothing to say" from "never ran".
    await deps.shardResults.put(
      {
        shard: shard.id,
        endMs: fleet.endMs,
        reports: observeAll(deps, fleet.reports),
        failed,
        objectives,
      },
      run.budget.signal,
    );
    return {
      evaluatedAt: new Date(fleet.endMs).toISOString(),
      succeeded: sloUnits(published.publishedUnits),
      failed,
      published: published.published,
    };
  });
}

/**
 * The merge step after every burn-rate shard of a run: reads each shard's observations,
 * merges them (a missing shard's SLOs keep their stored alert state, never "resolved"),
 * notifies the changes once and writes the stage report (a missing shard's SLOs are
 * listed as failed, so the gate fails closed on them). Safe to retry: a second merge of
 * the same step finds the state already saved and sends nothing.
 *
 * @example
 * export const handler = createShardMerge(deps); // event: { time }
 */
export function createShardMerge(deps: ShardedDeps) {
  return createJobHandler("burn-rate-evaluator", deps, async (run) => {
    const plan = await currentShards(deps);
    const endMs = Math.floor(run.nowMs / deps.stepMs) * deps.stepMs;
    const got = await Promise.all(
      plan.map((s) => deps.shardResults.get(endMs, s.id, run.budget.signal)),
    );
    const merged = mergeShardOutcomes<AlertObservation, JobFailure>(
      plan,
      got.filter((o) => o !== undefined),
      (s): JobFailure => ({
        scope: "run",
        name: s.id,
        reason: `${s.id} left no result for this step; its ${s.slos.length} SLO(s) keep their alert state`,
      }),
    );
    const { slos } = await deps.loadSlos();
    const notified = await notifyChanges(
      deps,
      run,
      merged.reports,
      new Set(slos.map((s) => s.name)),
      endMs,
    );
    const present = got.filter((o) => o !== undefined);
    const missing = new Set(merged.missingShards);
    const reported = await writeStageReport(
      deps,
      run,
      endMs,
      present.flatMap((o) => o.objectives),
      [
        ...merged.failed,
        ...plan
          .filter((s) => missing.has(s.id))
          .flatMap((s) =>
            s.slos.map(
              (slo): JobFailure => ({
                scope: "slo",
                name: slo,
                reason: `${s.id} left no result for this step`,
              }),
            ),
          ),
      ],
    );
    const failedSlos = new Set(merged.failed.map((f) => f.name));
    return {
      evaluatedAt: new Date(endMs).toISOString(),
      succeeded: [...new Set(merged.reports.map((o) => o.slo))].filter((s) => !failedSlos.has(s)),
      failed: [...dedupe(merged.failed), ...notified.failed, ...reported],
      published: 0,
      notifications: notified.sent,
    };
  });
}

/** A shard id that the current definitions do not produce. */
export class ShardNotPlannedError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "ShardNotPlannedError";
  }
}

function shardOf(run: RunContext): string {
  const shard = (run.event as Partial<ShardEvent> | undefined)?.shard;
  if (typeof shard !== "string" || shard === "") {
    throw new ShardNotPlannedError(
      'the shard event has no "shard" field; the state machine passes { time, shard } to each Map item',
    );
  }
  return shard;
}

/** Definition problems are reported by every shard; keep one of each. */
function dedupe(failed: readonly JobFailure[]): JobFailure[] {
  const seen = new Set<string>();
  return failed.filter((f) => {
    const k = `${f.scope}\u0000${f.name}\u0000${f.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
