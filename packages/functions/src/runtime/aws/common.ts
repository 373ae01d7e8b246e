import {
  type AwsClientOptions,
  ampFetch,
  ampRegion,
  CloudWatchMetricsSource,
  createCloudWatchClient,
  createEcsClient,
  createElbv2Client,
  EcsDiscovery,
  EmfSink,
  type MetricSink,
  PrometheusMetricsSource,
  PutMetricDataSink,
  ServiceDimensionResolver,
} from "@slo/aws";
import type { FunctionConfig } from "../config.ts";
import type { BaseDeps, LoadedSlos } from "../deps.ts";
import type { Notifier } from "../notifier.ts";
import { createObservability, type Observability } from "../observability.ts";
import { compiledSloLoader } from "../slo-loader.ts";

/** How the AWS wiring publishes: EMF log lines in Lambda, PutMetricData elsewhere, or print only. */
export type AwsSinkMode = "emf" | "put-metric-data" | MetricSink;

export interface AwsDepsOptions {
  readonly sink?: AwsSinkMode;
  readonly clients?: AwsClientOptions;
  /** Observability to use instead of building one from the config. */
  readonly obs?: Observability;
  /** Burn-rate evaluator: deliver notifications here instead of SNS (dry runs). */
  readonly notifier?: Notifier;
  /** Burn-rate evaluator: read the stored alert state but never write it or the stage report (dry runs). */
  readonly readOnlyAlertState?: boolean;
  /** Definitions loader instead of the compiled file (`slo invoke --aws` reads slos/ itself). */
  readonly loadSlos?: () => Promise<LoadedSlos>;
}

/** Time kept back from the Lambda timeout so the result is still logged and returned. */
export const RESERVE_MS = 5_000;

/**
 * The AWS half every job shares: CloudWatch source with ECS discovery (one discovery
 * cache per run), the sink, the definitions loader and Powertools. Clients are built
 * once per container (cold start) and reused by every invocation.
 */
export function awsBaseDeps(config: FunctionConfig, opts: AwsDepsOptions = {}): BaseDeps {
  const obs =
    opts.obs ??
    createObservability({
      stage: config.stage,
      serviceName: config.serviceName,
      namespace: config.metricsNamespace,
      logLevel: config.logLevel,
    });
  const clientOpts: AwsClientOptions = {
    ...(config.region !== undefined ? { region: config.region } : {}),
    ...opts.clients,
  };
  const cw = obs.tracer.captureAWSv3Client(createCloudWatchClient(clientOpts));
  const ecs = obs.tracer.captureAWSv3Client(createEcsClient(clientOpts));
  const elbv2 = obs.tracer.captureAWSv3Client(createElbv2Client(clientOpts));
  const mode = opts.sink ?? "emf";
  return {
    stage: config.stage,
    metricsProfile: config.metricsProfile,
    stepMs: config.stepMs,
    obs,
    loadSlos: opts.loadSlos ?? compiledSloLoader(config.definitionsFile),
    metricsSource: (signal) =>
      config.backend.kind === "prometheus"
        ? prometheusSource(config.backend.url, cw, signal)
        : new CloudWatchMetricsSource({
            client: cw,
            dimensions: new ServiceDimensionResolver(
              new EcsDiscovery({ ecs, elbv2, cluster: config.clusterName, signal }),
            ),
            signal,
          }),
    sink: (signal) =>
      mode === "emf"
        ? new EmfSink()
        : mode === "put-metric-data"
          ? new PutMetricDataSink({ client: cw, signal })
          : mode,
    now: Date.now,
    reserveMs: RESERVE_MS,
  };
}

/**
 * `SLO_BACKEND=prometheus`: the SLI counts from a Prometheus HTTP API, SigV4-signed with
 * the function's role when the URL is an AMP workspace.
 */
function prometheusSource(
  url: string,
  cw: ReturnType<typeof createCloudWatchClient>,
  signal: AbortSignal,
): PrometheusMetricsSource {
  const region = ampRegion(url);
  return new PrometheusMetricsSource({
    url,
    signal,
    ...(region !== undefined
      ? { fetch: ampFetch({ region, credentials: () => cw.config.credentials() }) }
      : {}),
  });
}
