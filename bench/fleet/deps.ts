/** What every process of the fleet benchmark (shard workers, the merge) wires the same way. */

import { MemoryStageReportStore } from "../../packages/aws/src/index.ts";
import type { SloDefinition } from "../../packages/core/src/spec/index.ts";
import type { ShardedDeps } from "../../packages/functions/src/jobs/sharded.ts";
import { InMemoryAlertStateStore } from "../../packages/functions/src/runtime/alert-store.ts";
import { RecordingNotifier } from "../../packages/functions/src/runtime/notifier.ts";
import { createObservability } from "../../packages/functions/src/runtime/observability.ts";
import { FileShardResults, UNUSED_ROLLUPS } from "./stores.ts";
import { STEP_MS } from "./synthetic.ts";

/**
 * The sharded evaluator's deps as the bench runs it (stage `bench`, the deployed
 * `minimal` metrics profile, silent logs, results as files under `resultsDir`); the
 * caller adds how it reads metrics, publishes and stores shard rollups.
 */
export function benchShardedDeps(input: {
  defs: readonly SloDefinition[];
  nowMs: number;
  resultsDir: string;
  targetSlosPerShard: number;
}): Omit<ShardedDeps, "metricsSource" | "sink" | "shardObjects"> {
  return {
    stage: "bench",
    stepMs: STEP_MS,
    metricsProfile: "minimal",
    obs: createObservability({
      serviceName: "burn-rate-evaluator",
      stage: "bench",
      namespace: "Custom/SLO",
      logLevel: "SILENT",
      tracing: false,
      captureColdStart: false,
    }),
    loadSlos: async () => ({ slos: input.defs, problems: [] }),
    now: () => input.nowMs,
    reserveMs: 1_000,
    rollupStore: () => UNUSED_ROLLUPS,
    alertState: new InMemoryAlertStateStore(),
    notifier: new RecordingNotifier("bench"),
    stageReports: new MemoryStageReportStore(),
    shardOptions: { threshold: 500, targetSlosPerShard: input.targetSlosPerShard },
    shardResults: new FileShardResults(input.resultsDir),
  };
}
