/**
 * What the SLO platform costs per SLO-month for N = 40, 1,000 and 10,000 synthetic SLOs
 * (four per service), priced from the dated table in packages/core/src/cost.
 *
 * Every unit is counted from what the real jobs do, not from constants: the SLO
 * calculator, burn-rate evaluator (single invocation at or below the shard threshold,
 * sharded shards + merge above it) and predicted-load handlers run in-process against a
 * loopback CloudWatch over HTTP (GetMetricData metrics counted as sent), EMF captured from
 * stdout exactly as Lambda would ship it to CloudWatch Logs (unique metric name +
 * dimensions counted from it, Powertools' own job metrics included), rollup and alert
 * state stores counting GETs/PUTs and stored bytes. Alarms and dashboards are counted
 * from the data packages/core/src/monitoring builds for the N SLOs (buildFleetAlarms and
 * buildStageDashboards, the builders infra/monitoring.ts deploys).
 *
 * The `minimal` profile's one metric per service (AlertState, published only while a tier
 * fires) is billed per hour it receives data: priced at the share of service-hours
 * bench/firing-share.ts measures with the real evaluator on the embedded fleet's month,
 * and printed with the dense bound (every service's state published all month). The load
 * forecast (per service, not per SLO) is in the total and printed on its own line.
 *
 * Sampling: the first run (one-time backfill of 33 days) is measured at N = 40 and
 * reported apart (per SLO); the steady runs are measured (N = 40: 3 runs after the
 * backfill, shown equal; N >= 1,000: COST_SAMPLE (default 1) cycles from rollups seeded in
 * the steady state) and
 * multiplied to 8,640 runs a month. Predicted load runs per service (every 15 minutes):
 * measured for 10 services and scaled by services. Lambda GB-seconds: measured CPU time x
 * the configured memory, stretched by Lambda's CPU share below 1,769 MB (a 512 MB function
 * gets ~0.29 vCPU), since the loopback's I/O wait is not AWS's.
 */
import {
  CloudWatchMetricsSource,
  createCloudWatchClient,
  EmfSink,
  encodeShardRollups,
  MemoryRollupStore,
  MemoryShardObjectStore,
  MemoryStageReportStore,
  type RollupStore,
  shardObjectName,
} from "../packages/aws/src/index.ts";
import { contentEtag } from "../packages/aws/src/rollup/memory-store.ts";
import {
  type MonthlyUsage,
  PRICES,
  priceFleetInfra,
  priceUsage,
} from "../packages/core/src/cost/index.ts";
import {
  buildDeploymentAlarms,
  buildFleetAlarms,
  buildStageDashboards,
  evaluatorNotifiesConditions,
  type MetricsProfile,
  SLO_METRICS,
  SLO_NAMESPACE,
} from "../packages/core/src/monitoring/index.ts";
import { planShards, shardDefinitions } from "../packages/core/src/shard/index.ts";
import type { SloDefinition } from "../packages/core/src/spec/index.ts";
import { createBurnRateEvaluator } from "../packages/functions/src/jobs/burn-rate-evaluator.ts";
import { createPredictedLoad } from "../packages/functions/src/jobs/predicted-load.ts";
import {
  createBurnRateShard,
  createShardMerge,
  createSloCalculatorShard,
  type ShardedDeps,
} from "../packages/functions/src/jobs/sharded.ts";
import { createSloCalculator } from "../packages/functions/src/jobs/slo-calculator.ts";
import type { AlertStateStore } from "../packages/functions/src/runtime/alert-store.ts";
import { InMemoryAlertStateStore } from "../packages/functions/src/runtime/alert-store.ts";
import { PREDICTED_LOAD_DEFAULTS } from "../packages/functions/src/runtime/aws/predicted-load.ts";
import { capacityMetrics } from "../packages/functions/src/runtime/capacity-metrics.ts";
import { parseEmfLine } from "../packages/functions/src/runtime/emf.ts";
import { fakeLambdaContext } from "../packages/functions/src/runtime/lambda-context.ts";
import { RecordingNotifier } from "../packages/functions/src/runtime/notifier.ts";
import { createObservability } from "../packages/functions/src/runtime/observability.ts";
import { MemoryShardResults } from "../packages/functions/src/runtime/shard-results.ts";
import { measureFiringShare } from "./firing-share.ts";
import { LoopbackCloudWatch } from "./fleet/loopback-cloudwatch.ts";
import { STEP_MS, steadyRecords, syntheticFleet } from "./fleet/synthetic.ts";

const RUNS_PER_MONTH = (30 * 86_400_000) / STEP_MS; // 8,640
const STEPS_PER_DAY = 86_400_000 / STEP_MS;
const PREDICTED_RUNS_PER_MONTH = RUNS_PER_MONTH / 3; // every 15 minutes
/** Sharded cycles sampled per size (each is 2 x shards + 1 invocations; they start steady). */
const SAMPLE = Number(process.env.COST_SAMPLE ?? 1);
// What deployed stages publish by default; COST_METRICS=full prices every metric.
const METRICS_PROFILE: MetricsProfile = process.env.COST_METRICS === "full" ? "full" : "minimal";
const SHARDING = { threshold: 500, targetSlosPerShard: 500 };
/** infra/jobs.ts: every job 512 MB arm64; shards get 1,024 MB (infra/sharded-evaluation.ts). */
const JOB_MEMORY_MB = 512;
const SHARD_MEMORY_MB = 1024;
const LOG_RETENTION_MONTHS = 3; // production profile: "3 months"
/** Lambda's START/END/REPORT platform lines per invocation, ingested with the logs. */
const PLATFORM_LOG_BYTES = 350;
const NOW = Date.UTC(2026, 10, 20, 12, 0);

// ---------- counting harness ----------
interface Tally {
  invocations: number;
  lambdaGbSeconds: number;
  logBytes: number;
  metrics: Set<string>;
  s3Gets: number;
  s3Puts: number;
  sfnRequests: number;
  sfnGbSeconds: number;
}
const newTally = (): Tally => ({
  invocations: 0,
  lambdaGbSeconds: 0,
  logBytes: 0,
  metrics: new Set(),
  s3Gets: 0,
  s3Puts: 0,
  sfnRequests: 0,
  sfnGbSeconds: 0,
});

/** Runs one handler invocation with stdout captured; returns its Lambda seconds. */
async function invoke(
  tally: Tally,
  memoryMb: number,
  handler: (e: unknown, c: ReturnType<typeof fakeLambdaContext>) => Promise<unknown>,
  event: unknown,
): Promise<number> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  const cpu0 = process.cpuUsage();
  try {
    await handler(event, fakeLambdaContext("bench", { timeoutMs: 900_000 }));
  } finally {
    process.stdout.write = write;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const lambdaSeconds = cpuSeconds * Math.max(1, 1769 / memoryMb);
  tally.invocations++;
  tally.lambdaGbSeconds += lambdaSeconds * (memoryMb / 1024);
  const text = lines.join("");
  tally.logBytes += Buffer.byteLength(text) + PLATFORM_LOG_BYTES;
  for (const line of text.split("\n")) {
    for (const p of parseEmfLine(line) ?? []) {
      const dims = Object.entries(p.dimensions).sort(([a], [b]) => a.localeCompare(b));
      tally.metrics.add(`${p.namespace}|${p.name}|${JSON.stringify(dims)}`);
    }
  }
  return lambdaSeconds;
}

class CountingAlertState implements AlertStateStore {
  readonly inner = new InMemoryAlertStateStore();
  gets = 0;
  puts = 0;
  bytes = 0;
  load() {
    this.gets++;
    return this.inner.load();
  }
  save(...args: Parameters<AlertStateStore["save"]>) {
    this.puts++;
    this.bytes = Buffer.byteLength(JSON.stringify(args[0]));
    return this.inner.save(args[0], args[1]);
  }
}

function baseDeps(defs: readonly SloDefinition[], endpoint: string, nowMs: () => number) {
  const client = createCloudWatchClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "AKIDLOOPBACK", secretAccessKey: "loopback" },
  });
  return {
    stage: "bench",
    stepMs: STEP_MS,
    metricsProfile: METRICS_PROFILE,
    // As deployed with the evaluator as pager (infra: SLO_NOTIFY=true).
    notifyConditions: evaluatorNotifiesConditions(METRICS_PROFILE, true),
    // INFO, as deployed: the run summary and warnings are ingested logs too.
    obs: createObservability({
      serviceName: "slo-jobs",
      stage: "bench",
      namespace: "Custom/SLO",
      logLevel: "INFO",
      tracing: false,
      captureColdStart: false,
    }),
    loadSlos: async () => ({ slos: defs, problems: [] }),
    metricsSource: (signal: AbortSignal) => new CloudWatchMetricsSource({ client, signal }),
    now: nowMs,
    reserveMs: 1_000,
  };
}

// ---------- one fleet size ----------
interface Measured {
  slos: number;
  services: number;
  sharded: boolean;
  perCycle: Tally;
  gmdPerCycle: number;
  storedBytes: number;
  backfillGmdPerSlo?: number;
  /** Bytes of the last stage report written (one object per run, overwritten). */
  stageReportBytes: number;
  steadyEqual: boolean | null;
}

async function measureFleet(n: number): Promise<Measured> {
  const defs = syntheticFleet(n);
  const services = new Set(defs.map((d) => d.service)).size;
  const plan = planShards(defs, SHARDING);
  const cw = new LoopbackCloudWatch({ tps: 1_000_000, latencyMs: 0 });
  const endpoint = await cw.start();
  let now = NOW;
  const alertState = new CountingAlertState();
  const stageReports = new MemoryStageReportStore();
  const base = baseDeps(defs, endpoint, () => now);
  const sink = () => new EmfSink();
  const time = () => ({ time: new Date(now).toISOString() });
  const cycles: Array<{ tally: Tally; gmd: number }> = [];
  let storedBytes = 0;
  let backfillGmdPerSlo: number | undefined;

  if (plan.length === 1) {
    // Single invocation: per-SLO rollup objects, both jobs every 5 minutes.
    const rollups = new MemoryRollupStore();
    const deps = {
      ...base,
      sink,
      rollupStore: (): RollupStore => rollups,
      alertState,
      notifier: new RecordingNotifier("bench"),
      stageReports,
    };
    for (let r = 0; r <= 3; r++) {
      now = NOW + r * STEP_MS;
      const tally = newTally();
      const gmd0 = cw.stats.metricsRequested;
      const reads0 = rollups.stats.reads;
      const writes0 = rollups.stats.writes;
      const a0 = { gets: alertState.gets, puts: alertState.puts };
      const r0 = stageReports.stats.puts;
      await invoke(tally, JOB_MEMORY_MB, createSloCalculator(deps), time());
      await invoke(tally, JOB_MEMORY_MB, createBurnRateEvaluator(deps), time());
      tally.s3Gets = rollups.stats.reads - reads0 + alertState.gets - a0.gets;
      tally.s3Puts =
        rollups.stats.writes - writes0 + alertState.puts - a0.puts + stageReports.stats.puts - r0;
      cycles.push({ tally, gmd: cw.stats.metricsRequested - gmd0 });
    }
    storedBytes =
      [...rollups.objects.values()].reduce((a, o) => a + o.body.length, 0) +
      alertState.bytes +
      // the current stage report and a day of replaced versions (infra/storage.ts)
      stageReports.stats.bytes * (1 + STEPS_PER_DAY);
    backfillGmdPerSlo = (cycles[0]?.gmd ?? 0) / n;
  } else {
    // Sharded: one object per shard, seeded in the steady state (33 days stored).
    const objects = new MemoryShardObjectStore();
    for (const s of plan) {
      const body = encodeShardRollups(steadyRecords(shardDefinitions(defs, s), NOW));
      objects.objects.set(shardObjectName(s.id), { body, etag: contentEtag(body) });
    }
    const results = new MemoryShardResults();
    const deps: ShardedDeps = {
      ...base,
      sink,
      rollupStore: () => new MemoryRollupStore(),
      alertState,
      notifier: new RecordingNotifier("bench"),
      stageReports,
      shardOptions: SHARDING,
      shardObjects: () => objects,
      shardResults: results,
    };
    for (let r = 1; r <= SAMPLE; r++) {
      now = NOW + r * STEP_MS;
      const tally = newTally();
      const gmd0 = cw.stats.metricsRequested;
      const o0 = { ...objects.stats };
      const res0 = { ...results.stats };
      const a0 = { gets: alertState.gets, puts: alertState.puts };
      const r0 = stageReports.stats.puts;
      // Two Express executions a cycle: the calculator's Map, the evaluator's Map + merge.
      let calcMax = 0;
      let evalMax = 0;
      for (const s of plan) {
        calcMax = Math.max(
          calcMax,
          await invoke(tally, SHARD_MEMORY_MB, createSloCalculatorShard(deps), {
            ...time(),
            shard: s.id,
          }),
        );
      }
      for (const s of plan) {
        evalMax = Math.max(
          evalMax,
          await invoke(tally, SHARD_MEMORY_MB, createBurnRateShard(deps), {
            ...time(),
            shard: s.id,
          }),
        );
      }
      const mergeSeconds = await invoke(tally, JOB_MEMORY_MB, createShardMerge(deps), time());
      tally.sfnRequests = 2;
      // Express bills the execution's duration at its 64 MB minimum (the Map waits on its slowest shard).
      tally.sfnGbSeconds = (calcMax + evalMax + mergeSeconds) * (64 / 1024);
      tally.s3Gets =
        objects.stats.gets - o0.gets + results.stats.gets - res0.gets + alertState.gets - a0.gets;
      tally.s3Puts =
        objects.stats.puts -
        o0.puts +
        results.stats.puts -
        res0.puts +
        alertState.puts -
        a0.puts +
        stageReports.stats.puts -
        r0;
      cycles.push({ tally, gmd: cw.stats.metricsRequested - gmd0 });
    }
    storedBytes =
      [...objects.objects.values()].reduce((a, o) => a + o.body.length, 0) +
      alertState.bytes +
      stageReports.stats.bytes * (1 + STEPS_PER_DAY) +
      // shard results expire after a day: ~288 steps' worth are held at any time.
      (results.stats.bytes / SAMPLE) * STEPS_PER_DAY;
  }
  await cw.stop();
  const steady = plan.length === 1 ? cycles.slice(1) : cycles;
  const avg = (f: (t: { tally: Tally; gmd: number }) => number) =>
    steady.reduce((a, c) => a + f(c), 0) / steady.length;
  const perCycle: Tally = {
    invocations: avg((c) => c.tally.invocations),
    lambdaGbSeconds: avg((c) => c.tally.lambdaGbSeconds),
    logBytes: avg((c) => c.tally.logBytes),
    metrics: new Set(steady.flatMap((c) => [...c.tally.metrics])),
    s3Gets: avg((c) => c.tally.s3Gets),
    s3Puts: avg((c) => c.tally.s3Puts),
    sfnRequests: avg((c) => c.tally.sfnRequests),
    sfnGbSeconds: avg((c) => c.tally.sfnGbSeconds),
  };
  const counts = steady.map((c) => `${c.gmd}/${c.tally.metrics.size}/${c.tally.s3Puts}`);
  return {
    slos: n,
    services,
    sharded: plan.length > 1,
    perCycle,
    gmdPerCycle: avg((c) => c.gmd),
    storedBytes,
    stageReportBytes: stageReports.stats.bytes,
    ...(backfillGmdPerSlo !== undefined ? { backfillGmdPerSlo } : {}),
    // With one sampled cycle there is nothing to compare: null, not a vacuous true.
    steadyEqual: counts.length > 1 ? new Set(counts).size === 1 : null,
  };
}

/** Predicted load for 10 services (every 15 minutes), per service per run. */
async function measurePredictedLoad() {
  const defs = syntheticFleet(40);
  const cw = new LoopbackCloudWatch({ tps: 1_000_000, latencyMs: 0 });
  const endpoint = await cw.start();
  const tally = newTally();
  const deps = {
    ...baseDeps(defs, endpoint, () => NOW),
    sink: () => new EmfSink(),
    capacityMetrics,
    ...PREDICTED_LOAD_DEFAULTS,
  };
  await invoke(tally, JOB_MEMORY_MB, createPredictedLoad(deps), {
    time: new Date(NOW).toISOString(),
  });
  await cw.stop();
  const services = 10;
  // PredictedLoad is per service; the job's own health metrics are per job, whatever the size.
  const perService = [...tally.metrics].filter((k) => k.includes('"Service"')).length;
  return {
    gmdPerService: cw.stats.metricsRequested / services,
    gbsPerService: tally.lambdaGbSeconds / services,
    logBytesPerService: tally.logBytes / services,
    metricsPerService: perService / services,
    jobMetrics: tally.metrics.size - perService,
  };
}

/** Two months of usage added field by field (one account: tiers apply to the sum). */
function addUsage(a: MonthlyUsage, b: MonthlyUsage): MonthlyUsage {
  const out: Record<string, number> = {};
  for (const k of Object.keys(a) as Array<keyof MonthlyUsage>) out[k] = a[k] + b[k];
  return out as unknown as MonthlyUsage;
}

// ---------- run and price ----------
const predicted = await measurePredictedLoad();
const firingShare = await measureFiringShare({ cwd: new URL("..", import.meta.url).pathname });
const sizes = (process.env.COST_SIZES ?? "40,1000,10000").split(",").map(Number);
let backfillPerSlo = 0;

const usdPerSlo: Record<string, number> = {};
const sloJobsOnly: Record<string, number> = {};
const denseAlertState: Record<string, number> = {};
const breakdown: Record<string, unknown> = {};
for (const n of sizes) {
  const m = await measureFleet(n);
  // Measured on the single path (N = 40 runs first); sharded shards start steady.
  if (m.backfillGmdPerSlo !== undefined) backfillPerSlo = m.backfillGmdPerSlo;
  const defs = syntheticFleet(n);
  const alarmOptions = {
    prefix: "slo-prod",
    topics: { page: "page", ticket: "ticket" },
    canaryPeriodSeconds: 300,
    burnRateActions: false,
    stage: "prod",
    metrics: METRICS_PROFILE,
  };
  // What infra/monitoring.ts declares per SLO: the fleet's alarms and the per-service
  // deployment guards the ECS services roll back on.
  const alarms = [
    ...buildFleetAlarms(defs, alarmOptions),
    ...buildDeploymentAlarms(defs, alarmOptions).alarms,
  ];
  const alarmMetrics = (kind: (k: string) => boolean) =>
    alarms
      .filter((a) => kind(a.kind))
      .reduce((s, a) => s + a.metricQueries.filter((q) => q.metric).length, 0);
  // The dashboards infra deploys, from the same builder; a fleet too large for one
  // dashboard body fails to deploy, and says so here rather than being priced.
  let dashboards: number;
  let dashboardProblem: string | undefined;
  try {
    dashboards = buildStageDashboards(defs, {
      region: "us-east-1",
      prefix: "slo-prod",
      stage: "prod",
      metrics: METRICS_PROFILE,
    }).length;
  } catch (error) {
    dashboards = 1;
    dashboardProblem = error instanceof Error ? error.message : String(error);
  }
  const logIngested = m.perCycle.logBytes * RUNS_PER_MONTH;
  // The per-service AlertState is sparse (published only while a tier fires): priced by
  // the measured share of service-hours; every other metric is published every run.
  const isServiceState = (k: string) =>
    k.startsWith(`${SLO_NAMESPACE}|${SLO_METRICS.alertState}|`) && !k.includes('"SLO"');
  const denseMetrics = [...m.perCycle.metrics].filter((k) => !isServiceState(k)).length;
  const serviceStateMetricMonths =
    METRICS_PROFILE === "minimal" ? firingShare.share * m.services : 0;
  const sloUsage: MonthlyUsage = {
    customMetrics: denseMetrics + serviceStateMetricMonths,
    alarmMetrics: alarmMetrics((k) => k !== "canary"),
    dashboards,
    getMetricDataMetrics: m.gmdPerCycle * RUNS_PER_MONTH,
    putMetricDataRequests: 0,
    logIngestedBytes: logIngested,
    logStoredBytes: logIngested * LOG_RETENTION_MONTHS,
    s3Puts: m.perCycle.s3Puts * RUNS_PER_MONTH,
    s3Gets: m.perCycle.s3Gets * RUNS_PER_MONTH,
    s3StoredBytes: m.storedBytes,
    lambdaRequests: m.perCycle.invocations * RUNS_PER_MONTH,
    lambdaGbSeconds: m.perCycle.lambdaGbSeconds * RUNS_PER_MONTH,
    sfnExpressRequests: m.perCycle.sfnRequests * RUNS_PER_MONTH,
    sfnExpressGbSeconds: m.perCycle.sfnGbSeconds * RUNS_PER_MONTH,
    sqsRequests: 0,
    snsPublishes: 0,
  };
  // The load forecast runs per service, not per SLO: PredictedLoad, its reads, its Lambda.
  const forecastLogs = predicted.logBytesPerService * m.services * PREDICTED_RUNS_PER_MONTH;
  const forecastUsage: MonthlyUsage = {
    customMetrics: predicted.metricsPerService * m.services + predicted.jobMetrics,
    alarmMetrics: 0,
    dashboards: 0,
    getMetricDataMetrics: predicted.gmdPerService * m.services * PREDICTED_RUNS_PER_MONTH,
    putMetricDataRequests: 0,
    logIngestedBytes: forecastLogs,
    logStoredBytes: forecastLogs * LOG_RETENTION_MONTHS,
    s3Puts: 0,
    s3Gets: 0,
    s3StoredBytes: 0,
    lambdaRequests: PREDICTED_RUNS_PER_MONTH,
    lambdaGbSeconds: predicted.gbsPerService * m.services * PREDICTED_RUNS_PER_MONTH,
    sfnExpressRequests: 0,
    sfnExpressGbSeconds: 0,
    sqsRequests: 0,
    snsPublishes: 0,
  };
  const usage = addUsage(sloUsage, forecastUsage);
  const priced = priceUsage(usage);
  const sloOnly = priceUsage(sloUsage);
  const forecast = priceUsage(forecastUsage);
  // Every service's AlertState published all month: what the sparse rule saves, at most.
  const denseBound = priceUsage({
    ...usage,
    customMetrics: usage.customMetrics - serviceStateMetricMonths + m.services,
  });
  const canaries = priceFleetInfra({
    natGateways: 0,
    natGb: 0,
    loadBalancers: 0,
    lcus: 0,
    tasks: 0,
    taskVcpu: 0,
    taskGb: 0,
    canaries: m.services,
    canaryRunsEach: RUNS_PER_MONTH,
  });
  const canaryAlarms = alarmMetrics((k) => k === "canary") * PRICES.alarmMetricMonth;
  const backfillUsd = (backfillPerSlo * n * PRICES.getMetricDataPer1kMetrics) / 1000;
  usdPerSlo[String(n)] = Number((priced.totalUsd / n).toFixed(4));
  sloJobsOnly[String(n)] = Number((sloOnly.totalUsd / n).toFixed(4));
  denseAlertState[String(n)] = Number((denseBound.totalUsd / n).toFixed(4));
  const lines = Object.fromEntries(
    Object.entries(priced.lines)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => [k, Number(v.toFixed(2))]),
  );
  breakdown[String(n)] = {
    mode: m.sharded ? "sharded" : "single invocation",
    usd_month: Number(priced.totalUsd.toFixed(2)),
    lines,
    units: {
      custom_metrics: Number(usage.customMetrics.toFixed(2)),
      service_alert_state_metric_months: Number(serviceStateMetricMonths.toFixed(2)),
      alarm_metrics: usage.alarmMetrics,
      dashboards: usage.dashboards,
      get_metric_data_metrics: Math.round(usage.getMetricDataMetrics),
      emf_log_gb: Number((usage.logIngestedBytes / 1024 ** 3).toFixed(3)),
      s3_puts: Math.round(usage.s3Puts),
      s3_gets: Math.round(usage.s3Gets),
      s3_stored_mb: Number((usage.s3StoredBytes / 1024 ** 2).toFixed(1)),
      lambda_gb_s: Math.round(usage.lambdaGbSeconds),
      lambda_requests: Math.round(usage.lambdaRequests),
      sfn_express_requests: Math.round(usage.sfnExpressRequests),
      stage_report_bytes: m.stageReportBytes,
    },
    steady_runs_equal: m.steadyEqual,
    ...(dashboardProblem ? { dashboard_problem: dashboardProblem } : {}),
    one_time_backfill_usd: Number(backfillUsd.toFixed(4)),
    apart: {
      canaries_usd_month: Number((canaries.canaries + canaryAlarms).toFixed(2)),
    },
    load_forecast_usd_month: Number(forecast.totalUsd.toFixed(2)),
  };
  console.log(
    `N = ${n} SLOs (${m.services} services, ${m.sharded ? "sharded" : "one invocation"}): $${priced.totalUsd.toFixed(2)}/month = $${(priced.totalUsd / n).toFixed(3)} per SLO-month`,
  );
  for (const [k, v] of Object.entries(lines).sort((a, b) => b[1] - a[1]))
    console.log(`  ${k.padEnd(22)} $${v}`);
  console.log(`  units: ${JSON.stringify((breakdown[String(n)] as { units: unknown }).units)}`);
  console.log(
    `  steady runs identical: ${m.steadyEqual}; one-time backfill GetMetricData: $${backfillUsd.toFixed(4)} (${backfillPerSlo.toFixed(1)} metrics per SLO)`,
  );
  if (dashboardProblem) console.log(`  dashboards: ${dashboardProblem}`);
  console.log(
    `  apart: canaries (one per service, every 5 min) + their alarms $${(canaries.canaries + canaryAlarms).toFixed(2)}/month`,
  );
  console.log(
    `  of which the load forecast (PredictedLoad per service every 15 min, its reads and Lambda) $${forecast.totalUsd.toFixed(2)}/month: the SLO jobs alone $${(sloOnly.totalUsd / n).toFixed(3)} per SLO-month; with every service's AlertState published all month (dense bound) $${(denseBound.totalUsd / n).toFixed(3)}`,
  );
}
const fleet = priceFleetInfra({
  natGateways: 3,
  natGb: 50,
  loadBalancers: 1,
  lcus: 1,
  tasks: 25,
  taskVcpu: 0.5,
  taskGb: 1,
  canaries: 0,
  canaryRunsEach: 0,
});
console.log(
  `fleet infrastructure (production profile: 3 NAT gateways, 1 ALB, ~25 tasks of 0.5 vCPU/1 GB), apart: NAT $${fleet.nat.toFixed(0)}, ALB $${fleet.alb.toFixed(0)}, Fargate $${fleet.fargate.toFixed(0)} a month`,
);
breakdown.fleet_infrastructure_usd_month = {
  nat: Number(fleet.nat.toFixed(2)),
  alb: Number(fleet.alb.toFixed(2)),
  fargate: Number(fleet.fargate.toFixed(2)),
};
console.log(
  `AlertState per service, published only while a tier fires: ${(firingShare.share * 100).toFixed(2)} % of service-hours (${firingShare.metricHours} of the embedded fleet's ${firingShare.hours * firingShare.services} in ${firingShare.hours / 24} days, the real evaluator hourly: bench/firing-share.ts); priced as if the synthetic services burned as often; dense it would cost $${PRICES.customMetricTiers[0]?.usd ?? 0} per service-month`,
);
console.log(
  JSON.stringify({
    usd_per_slo_month: usdPerSlo,
    usd_per_slo_month_slo_jobs_only: sloJobsOnly,
    usd_per_slo_month_dense_alert_state_bound: denseAlertState,
    firing_share: Number(firingShare.share.toFixed(4)),
    breakdown,
    prices_as_of: PRICES.asOf,
  }),
);
