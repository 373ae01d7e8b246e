/**
 * One 5-minute cycle of the sharded SLO evaluation for N = 1,000 and 10,000 synthetic
 * SLOs (four per service), against a loopback CloudWatch over HTTP that throttles
 * GetMetricData at its default 50 TPS quota (with 20 ms per call).
 *
 * Measured: each shard is the real burn-rate shard handler in its own process (as one
 * Lambda invocation), reading its one rollup object, fetching the step plus the 15-minute
 * overlap from the loopback with the SDK's own client and adaptive retries, evaluating,
 * publishing EMF, writing its observations; then the merge step notifies once. The
 * rollups start in the steady state (full 33-day history stored, as after the one-time
 * backfill): this is the cycle that runs 288 times a day. FLEET_BACKFILL=1 measures the
 * one-time backfill run instead (empty shard objects, 33 days fetched), where the 50 TPS
 * quota can bite. Wall time is on this machine (2 shared cores) with MAP_CONCURRENCY shards at a
 * time; in AWS each shard has its own Lambda (the Map runs 4 at a time), so the cycle
 * there is bounded by the slowest waves, not the sum (both figures are printed).
 *
 * Rollup size per SLO: the shard codec on 35 days of one-minute counts (50,400 steps).
 */
import { fork } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeShardRollups, shardObjectName } from "../packages/aws/src/index.ts";
import {
  planShards,
  SHARD_MAP_CONCURRENCY,
  shardDefinitions,
} from "../packages/core/src/shard/index.ts";
import { createShardMerge, type ShardedDeps } from "../packages/functions/src/jobs/sharded.ts";
import { fakeLambdaContext } from "../packages/functions/src/runtime/lambda-context.ts";
import { benchShardedDeps } from "./fleet/deps.ts";
import { LoopbackCloudWatch } from "./fleet/loopback-cloudwatch.ts";
import { STEP_MS, steadyRecords, syntheticFleet } from "./fleet/synthetic.ts";

const SIZES = (process.env.FLEET_SIZES ?? "1000,10000").split(",").map(Number);
const TARGET_PER_SHARD = 500;
/** FLEET_BACKFILL=1: start from empty shard objects, i.e. measure the one-time backfill run. */
const BACKFILL = process.env.FLEET_BACKFILL === "1";
const MAP_CONCURRENCY = Number(process.env.MAP_CONCURRENCY ?? 2);
const NOW = Date.UTC(2026, 10, 20, 12, 0);
const TIME = new Date(NOW).toISOString();
const worker = path.join(import.meta.dirname, "fleet", "shard-worker.ts");

interface ShardFigures {
  shard: string;
  seconds: number;
  maxRssMb: number;
  succeeded: number;
  failed: number;
  firstFailure?: string;
  published: number;
  emfBytes: number;
  gmdCalls: number;
  gmdMetrics: number;
  rollupGets: number;
  rollupPuts: number;
  rollupBytes: number;
}

function runShard(dir: string, endpoint: string, n: number, shard: string): Promise<ShardFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(worker, [dir, endpoint, String(n), shard, TIME, String(TARGET_PER_SHARD)], {
      execArgv: ["--experimental-strip-types", "--no-warnings"],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    let figures: ShardFigures | undefined;
    child.on("message", (m) => {
      figures = m as ShardFigures;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      figures ? resolve(figures) : reject(new Error(`${shard} exited ${code} without figures`)),
    );
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const out: Record<string, unknown>[] = [];
for (const n of SIZES) {
  const defs = syntheticFleet(n);
  const plan = planShards(defs, { threshold: 500, targetSlosPerShard: TARGET_PER_SHARD });
  const dir = mkdtempSync(path.join(tmpdir(), "slo-fleet-"));
  mkdirSync(path.join(dir, "objects"));
  mkdirSync(path.join(dir, "results"));
  // Steady state: every shard's object holds 33 days up to the previous step.
  for (const s of BACKFILL ? [] : plan) {
    const body = encodeShardRollups(steadyRecords(shardDefinitions(defs, s), NOW - STEP_MS));
    writeFileSync(path.join(dir, "objects", shardObjectName(s.id)), body);
  }
  const cw = new LoopbackCloudWatch({ tps: 50, latencyMs: 20 });
  const endpoint = await cw.start();
  const started = performance.now();
  const figures: ShardFigures[] = [];
  const queue = [...plan];
  const waves: number[] = [];
  await Promise.all(
    Array.from({ length: Math.min(MAP_CONCURRENCY, plan.length) }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        const f = await runShard(dir, endpoint, n, s.id);
        figures.push(f);
        waves.push(f.seconds);
      }
    }),
  );
  const mergeStarted = performance.now();
  const mergeDeps: ShardedDeps = {
    ...benchShardedDeps({
      defs,
      nowMs: NOW,
      resultsDir: path.join(dir, "results"),
      targetSlosPerShard: TARGET_PER_SHARD,
    }),
    metricsSource: () => {
      throw new Error("the merge step reads no metrics");
    },
    sink: () => {
      throw new Error("the merge step publishes no metrics");
    },
    shardObjects: () => {
      throw new Error("the merge step reads no rollups");
    },
  };
  const merged = await createShardMerge(mergeDeps)(
    { time: TIME },
    fakeLambdaContext("burn-rate-evaluator", { timeoutMs: 300_000 }),
  );
  const mergeSeconds = (performance.now() - mergeStarted) / 1000;
  const cycleSeconds = (performance.now() - started) / 1000;
  await cw.stop();

  // 35 days of one-minute counts for one shard's SLOs, in the shard codec.
  const sample = shardDefinitions(defs, plan[0] as (typeof plan)[number]).slice(0, 50);
  const minuteBytes = encodeShardRollups(
    steadyRecords(sample, NOW, 60_000).map((r) => {
      const keep = 35 * 1440;
      return {
        ...r,
        startMs: r.watermarkMs - keep * 60_000,
        good: r.good.slice(-keep),
        total: r.total.slice(-keep),
      };
    }),
  ).length;
  const rollupBytesPerSlo = minuteBytes / sample.length;
  const objectBytesPerSlo = figures.reduce((a, f) => a + f.rollupBytes, 0) / n;
  rmSync(dir, { recursive: true, force: true });

  const failed = figures.reduce((a, f) => a + f.failed, 0);
  const peakRss = Math.max(...figures.map((f) => f.maxRssMb));
  const slowest = Math.max(...figures.map((f) => f.seconds));
  // The measured shard durations laid out as the state machine's Map runs them (4 at a time).
  const lanes = Array.from({ length: SHARD_MAP_CONCURRENCY }, () => 0);
  for (const f of figures) {
    const i = lanes.indexOf(Math.min(...lanes));
    lanes[i] = (lanes[i] ?? 0) + f.seconds;
  }
  const atMapConcurrency = Math.max(...lanes) + mergeSeconds;
  const row = {
    slos: n,
    run: BACKFILL ? "backfill (first run, 33 days)" : "steady (one 5-minute step)",
    shards: plan.length,
    map_concurrency_here: MAP_CONCURRENCY,
    cycle_seconds: Number(cycleSeconds.toFixed(2)),
    cycle_seconds_if_all_shards_parallel: Number((slowest + mergeSeconds).toFixed(2)),
    cycle_seconds_at_map_concurrency: Number(atMapConcurrency.toFixed(2)),
    shard_seconds_median: Number(median(figures.map((f) => f.seconds)).toFixed(2)),
    merge_seconds: Number(mergeSeconds.toFixed(2)),
    get_metric_data_calls: cw.stats.calls,
    get_metric_data_metrics: cw.stats.metricsRequested,
    throttled: cw.stats.throttled,
    peak_tps: cw.peakTps(),
    peak_shard_rss_mb: Number(peakRss.toFixed(1)),
    rollup_bytes_per_slo: Math.round(rollupBytesPerSlo),
    stored_rollup_bytes_per_slo_5min_33d: Math.round(objectBytesPerSlo),
    rollup_gets: figures.reduce((a, f) => a + f.rollupGets, 0),
    rollup_puts: figures.reduce((a, f) => a + f.rollupPuts, 0),
    emf_bytes: figures.reduce((a, f) => a + f.emfBytes, 0),
    slos_evaluated: figures.reduce((a, f) => a + f.succeeded, 0),
    unit_failures: failed,
    notifications: merged.notifications ?? 0,
  };
  out.push(row);
  console.log(
    `${n} SLOs, ${plan.length} shard(s) of whole services, ${MAP_CONCURRENCY} at a time on this machine, ${row.run}:`,
  );
  console.log(
    `  cycle ${row.cycle_seconds} s here (${row.cycle_seconds_at_map_concurrency} s laid out ${SHARD_MAP_CONCURRENCY} at a time as the Map runs them, ${row.cycle_seconds_if_all_shards_parallel} s fully parallel), shard median ${row.shard_seconds_median} s, merge ${row.merge_seconds} s`,
  );
  console.log(
    `  GetMetricData ${row.get_metric_data_calls} calls (${row.get_metric_data_metrics} metrics), peak ${row.peak_tps} TPS, ${row.throttled} throttled`,
  );
  console.log(
    `  peak shard RSS ${row.peak_shard_rss_mb} MB; rollup ${row.rollup_bytes_per_slo} B/SLO for 35 days of 1-minute counts (${row.stored_rollup_bytes_per_slo_5min_33d} B/SLO stored at 5 minutes); ${row.rollup_gets} GETs + ${row.rollup_puts} PUTs`,
  );
  console.log(
    `  evaluated ${row.slos_evaluated}/${n}, ${failed} unit failure(s)${failed ? `: ${figures.find((f) => f.firstFailure)?.firstFailure}` : ""}, EMF ${row.emf_bytes} bytes`,
  );
}
// Same job, one invocation, for the 40-SLO fleet size: stays unsharded.
const single = planShards(syntheticFleet(40), {
  threshold: 500,
  targetSlosPerShard: TARGET_PER_SHARD,
});
console.log(`40 SLOs: ${single.length} shard (one invocation, as before)`);
const last = out.at(-1) ?? {};
console.log(JSON.stringify({ ...last, sizes: out }));
