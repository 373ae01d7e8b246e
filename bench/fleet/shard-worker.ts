/**
 * One shard of the benchmark's cycle in its own process (as one Lambda invocation):
 * the real burn-rate shard handler, CloudWatch over HTTP to the loopback, the shard's
 * rollup object and result in files. Reports its figures to the parent over IPC.
 */
import {
  CloudWatchMetricsSource,
  createCloudWatchClient,
  EmfSink,
} from "../../packages/aws/src/index.ts";
import {
  createBurnRateShard,
  type ShardedDeps,
} from "../../packages/functions/src/jobs/sharded.ts";
import { fakeLambdaContext } from "../../packages/functions/src/runtime/lambda-context.ts";
import { benchShardedDeps } from "./deps.ts";
import { FileShardObjectStore } from "./stores.ts";
import { syntheticFleet } from "./synthetic.ts";

const [dir, endpoint, slos, shard, time, targetPerShard] = process.argv.slice(2);
if (!dir || !endpoint || !slos || !shard || !time || !targetPerShard) {
  throw new Error("usage: shard-worker <dir> <endpoint> <slos> <shard> <time> <targetPerShard>");
}
const defs = syntheticFleet(Number(slos));
const objects = new FileShardObjectStore(`${dir}/objects`);
let emfBytes = 0;
let emfLines = 0;
const sources: CloudWatchMetricsSource[] = [];
const client = createCloudWatchClient({
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "AKIDLOOPBACK", secretAccessKey: "loopback" },
});
const deps: ShardedDeps = {
  ...benchShardedDeps({
    defs,
    nowMs: Date.parse(time),
    resultsDir: `${dir}/results`,
    targetSlosPerShard: Number(targetPerShard),
  }),
  metricsSource: (signal) => {
    const s = new CloudWatchMetricsSource({ client, signal });
    sources.push(s);
    return s;
  },
  sink: () =>
    new EmfSink({
      write: (line) => {
        emfBytes += Buffer.byteLength(line) + 1;
        emfLines++;
      },
    }),
  shardObjects: () => objects,
};
const started = performance.now();
const result = await createBurnRateShard(deps)(
  { time, shard },
  fakeLambdaContext("burn-rate-evaluator", { timeoutMs: 900_000 }),
);
const seconds = (performance.now() - started) / 1000;
process.send?.({
  shard,
  seconds,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  succeeded: result.succeeded.length,
  failed: result.failed.length,
  firstFailure: result.failed[0]?.reason,
  published: result.published,
  emfBytes,
  emfLines,
  gmdCalls: sources.reduce((n, s) => n + s.stats.calls, 0),
  gmdMetrics: sources.reduce((n, s) => n + s.stats.metricsRequested, 0),
  rollupGets: objects.stats.gets,
  rollupPuts: objects.stats.puts,
  rollupBytes: objects.stats.bytesWritten,
});
