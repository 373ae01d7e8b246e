import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import { createRunBudget, type RunBudget } from "@slo/aws";
import { errorKind, SloPlatformError } from "@slo/core/errors";
import type { Context } from "aws-lambda";
import type { FunctionName } from "./config.ts";
import type { BaseDeps } from "./deps.ts";

/** One unit of work that did not complete (an SLO, a service, a notification...). */
export interface JobFailure {
  readonly scope:
    | "definitions"
    | "slo"
    | "service"
    | "publish"
    | "alert-state"
    | "notify"
    | "run"
    | "stage-report";
  readonly name: string;
  readonly reason: string;
}

/** What a scheduled job returns (and logs): what was done and what failed. */
export interface JobResult {
  readonly function: FunctionName;
  readonly stage: string;
  /** The evaluated step (ISO-8601): every published datapoint carries this time. */
  readonly evaluatedAt: string;
  /** Units (SLOs or services) evaluated and published completely. */
  readonly succeeded: readonly string[];
  readonly failed: readonly JobFailure[];
  /** Datapoints handed to the sink. */
  readonly published: number;
  /** Alert notifications sent (burn-rate evaluator only). */
  readonly notifications?: number;
  readonly durationMs: number;
}

/** The event of a scheduled invocation; `time` (EventBridge) fixes the evaluated instant. */
export interface ScheduledEvent {
  readonly time?: string;
  readonly [key: string]: unknown;
}

/** Thrown when a run produced nothing at all, so Lambda records an error and retries. */
export class JobFailedError extends SloPlatformError {
  readonly result: JobResult;
  constructor(msg: string, result: JobResult, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "JobFailedError";
    this.result = result;
  }
}

/** What a job body receives for one run. */
export interface RunContext {
  readonly nowMs: number;
  readonly budget: RunBudget;
  readonly context: Context;
  /** The invocation's event (a shard run reads its `shard` from it). */
  readonly event?: unknown;
}

/** A job body's output; the wrapper adds timing, logs it and counts `JobErrors`. */
export type JobOutcome = Omit<JobResult, "function" | "stage" | "durationMs">;

/**
 * The evaluation instant: the schedule's `time` when the event has one (a late or
 * retried invocation still evaluates the slot it was scheduled for), else the clock.
 */
export function eventTimeMs(event: unknown, now: () => number): number {
  const time = (event as ScheduledEvent | null | undefined)?.time;
  if (typeof time === "string") {
    const ms = Date.parse(time);
    if (Number.isFinite(ms)) return ms;
  }
  return now();
}

/**
 * Logs a run the body abandoned by throwing, at the level its kind deserves: a bug
 * (`internal`) is an error with its stack; bad configuration or data (`input`, `usage`)
 * is an error an operator fixes, without a stack; an AWS failure (`aws`) is a warning,
 * since Lambda's retry is the remedy.
 */
function logCrash(logger: BaseDeps["obs"]["logger"], name: FunctionName, error: unknown): void {
  const kind = errorKind(error);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (kind === "internal") {
    logger.error(`${name}: internal error (a bug)`, {
      kind,
      error: message,
      stack: error instanceof Error ? error.stack : undefined,
    });
  } else if (kind === "aws") {
    logger.warn(`${name}: run abandoned`, { kind, error: message });
  } else {
    logger.error(`${name}: run abandoned`, { kind, error: message });
  }
}

/**
 * Wraps a job body in the middy stack every handler shares: Tracer
 * (`captureLambdaHandler`), Logger (`injectLambdaContext`) and Metrics (`logMetrics`,
 * EMF), a run budget from `context.getRemainingTimeInMillis()`, a `JobErrors` count and
 * one summary log line. A run where nothing succeeded throws `JobFailedError`.
 *
 * @example
 * export const createMyJob = (deps: BaseDeps) =>
 *   createJobHandler("slo-calculator", deps, async ({ nowMs }) => ({ evaluatedAt: new Date(nowMs).toISOString(), succeeded: [], failed: [], published: 0 }));
 */
export function createJobHandler(
  name: FunctionName,
  deps: BaseDeps,
  body: (run: RunContext) => Promise<JobOutcome>,
) {
  const { logger, metrics, tracer } = deps.obs;
  const run = async (event: unknown, context: Context): Promise<JobResult> => {
    const started = Date.now();
    const budget = createRunBudget(context.getRemainingTimeInMillis(), deps.reserveMs);
    try {
      const outcome = await body({ nowMs: eventTimeMs(event, deps.now), budget, context, event });
      const result: JobResult = {
        function: name,
        stage: deps.stage,
        ...outcome,
        durationMs: Date.now() - started,
      };
      metrics.addMetric("JobErrors", MetricUnit.Count, result.failed.length);
      metrics.addMetric("JobUnitsSucceeded", MetricUnit.Count, result.succeeded.length);
      for (const f of result.failed)
        logger.warn("unit failed", { scope: f.scope, unit: f.name, reason: f.reason });
      logger.info("run finished", {
        evaluatedAt: result.evaluatedAt,
        succeeded: result.succeeded.length,
        failed: result.failed.length,
        published: result.published,
        durationMs: result.durationMs,
      });
      if (result.succeeded.length === 0 && result.failed.length > 0) {
        throw new JobFailedError(
          `${name}: nothing succeeded (${result.failed.length} failure(s), first: ${result.failed[0]?.name}: ${result.failed[0]?.reason})`,
          result,
        );
      }
      return result;
    } catch (error) {
      if (!(error instanceof JobFailedError)) {
        logCrash(logger, name, error);
        // The existing JobErrors metric (no new metric, no new cost) counts the abandoned
        // run, so the alarm on it fires for a crash as for failed units.
        metrics.addMetric("JobErrors", MetricUnit.Count, 1);
      }
      throw error;
    } finally {
      budget.dispose();
    }
  };
  return middy(run)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: deps.obs.captureColdStart }));
}
