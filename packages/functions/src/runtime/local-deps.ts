import { MemoryRollupStore, MemoryStageReportStore, type MetricSink } from "@slo/aws";
import { EMBEDDED_FLEET_END_MS, EmbeddedMetricsSource } from "@slo/core/embedded";
import type { MetricsProfile } from "@slo/core/monitoring";
import { InMemoryAlertStateStore } from "./alert-store.ts";
import { PREDICTED_LOAD_DEFAULTS } from "./aws/predicted-load.ts";
import { capacityMetrics } from "./capacity-metrics.ts";
import type { FunctionName } from "./config.ts";
import type { BaseDeps, BurnRateDeps, PredictedLoadDeps } from "./deps.ts";
import { RecordingNotifier } from "./notifier.ts";
import { createObservability, type Observability } from "./observability.ts";
import { RecordingSink } from "./recording-sink.ts";
import { cachedSloLoader } from "./slo-loader.ts";

export interface LocalDepsOptions {
  /** OpenSLO folder (default `slos` under `cwd`). */
  readonly definitionsDir?: string;
  readonly cwd?: string;
  /** Seed of the embedded fleet (default: the fleet's default seed). */
  readonly seed?: number;
  /** Evaluation time (default `EMBEDDED_FLEET_END_MS`, the end of the embedded data). */
  readonly nowMs?: number;
  /** Receives what the sink and the notifier would publish (omit to stay silent). */
  readonly print?: (text: string) => void;
  /** Publish through this sink instead of recording (tests pass an `EmfSink`). */
  readonly sink?: MetricSink;
  readonly logLevel?: string;
  readonly obs?: Observability;
  readonly stage?: string;
  /** Which Custom/SLO metrics to publish (default `minimal`, as deployed stages). */
  readonly metricsProfile?: MetricsProfile;
  /** Grid step (default 5 minutes, as in AWS). */
  readonly stepMs?: number;
}

/** Local dependencies plus handles on the in-memory parts, for assertions and printing. */
export type LocalDeps = BurnRateDeps &
  PredictedLoadDeps & {
    readonly recorder: RecordingSink;
    readonly notifications: RecordingNotifier;
    readonly rollups: MemoryRollupStore;
    readonly alertStore: InMemoryAlertStateStore;
    readonly source: EmbeddedMetricsSource;
  };

/**
 * Dependencies that need no AWS: the embedded fleet as the metrics source (evaluated at
 * its end instant), in-memory rollup and alert-state stores (kept across invocations of
 * the same deps, like S3 between Lambda runs), a sink and a notifier that record and
 * print instead of publishing. Every handler accepts them unchanged.
 *
 * @example
 * const deps = localDeps("slo-calculator", { print: (t) => process.stdout.write(t) });
 * await createSloCalculator(deps)({}, fakeLambdaContext("slo-calculator"));
 */
export function localDeps(functionName: FunctionName, opts: LocalDepsOptions = {}): LocalDeps {
  const stage = opts.stage ?? "local";
  const obs =
    opts.obs ??
    createObservability({
      stage: stage,
      serviceName: functionName,
      namespace: "Custom/SLO",
      logLevel: opts.logLevel ?? "SILENT",
      tracing: false,
      captureColdStart: false,
    });
  const source = new EmbeddedMetricsSource(opts.seed !== undefined ? { seed: opts.seed } : {});
  const recorder = new RecordingSink(opts.print);
  const notifications = new RecordingNotifier(stage, opts.print);
  const rollups = new MemoryRollupStore();
  const alertStore = new InMemoryAlertStateStore();
  const stageReports = new MemoryStageReportStore();
  const nowMs = opts.nowMs ?? EMBEDDED_FLEET_END_MS;
  const base: BaseDeps = {
    stage,
    metricsProfile: opts.metricsProfile ?? "minimal",
    stepMs: opts.stepMs ?? 300_000,
    obs,
    loadSlos: cachedSloLoader(opts.definitionsDir ?? "slos", opts.cwd),
    metricsSource: () => source,
    sink: () => opts.sink ?? recorder,
    now: () => nowMs,
    reserveMs: 1_000,
  };
  return {
    ...base,
    rollupStore: () => rollups,
    alertState: alertStore,
    notifier: notifications,
    stageReports,
    capacityMetrics,
    ...PREDICTED_LOAD_DEFAULTS,
    recorder,
    notifications,
    rollups,
    alertStore,
    source,
  };
}
