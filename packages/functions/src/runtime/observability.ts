import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { stageDimensions } from "@slo/core/monitoring";

/** The Powertools trio one handler uses; built once per container. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
  /** Emit Powertools' `ColdStart` metric (off for local runs: it means nothing there). */
  readonly captureColdStart: boolean;
}

export interface ObservabilityOptions {
  readonly serviceName: string;
  /** Namespace of the job's own metrics (`JobErrors`...): `Custom/SLO` per WIRING. */
  readonly namespace: string;
  /** The stage: a `Stage` default dimension on every job metric (see `stageDimensions`). */
  readonly stage: string;
  readonly logLevel?: string;
  /** X-Ray tracing; only meaningful inside Lambda. */
  readonly tracing?: boolean;
  readonly captureColdStart?: boolean;
}

/** True inside the Lambda runtime (the variable the runtime itself sets). */
export function inLambda(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return (
    (env.AWS_EXECUTION_ENV ?? "").startsWith("AWS_Lambda") ||
    env.AWS_LAMBDA_FUNCTION_NAME !== undefined
  );
}

/**
 * Creates the Logger, Metrics and Tracer of a handler. Tracing is disabled outside
 * Lambda so local runs and tests need no X-Ray daemon.
 *
 * @example
 * const obs = createObservability({ serviceName: "slo-calculator", namespace: "Custom/SLO", stage: "dev" });
 */
export function createObservability(opts: ObservabilityOptions): Observability {
  return {
    logger: new Logger({
      serviceName: opts.serviceName,
      logLevel: (opts.logLevel ?? "INFO") as "INFO",
    }),
    metrics: new Metrics({
      serviceName: opts.serviceName,
      namespace: opts.namespace,
      // Same rule as Custom/SLO and Custom/ECS: the job alarms read JobErrors per stage.
      defaultDimensions: { ...stageDimensions(opts.stage, {}) },
    }),
    tracer: new Tracer({
      serviceName: opts.serviceName,
      enabled: opts.tracing ?? inLambda(),
      captureHTTPsRequests: false,
    }),
    captureColdStart: opts.captureColdStart ?? inLambda(),
  };
}
