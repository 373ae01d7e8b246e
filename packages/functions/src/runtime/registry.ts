import type { Context } from "aws-lambda";
import { createBurnRateEvaluator } from "../jobs/burn-rate-evaluator.ts";
import { createPredictedLoad } from "../jobs/predicted-load.ts";
import { createSloCalculator } from "../jobs/slo-calculator.ts";
import { awsBurnRateDeps } from "./aws/burn-rate.ts";
import type { AwsDepsOptions } from "./aws/common.ts";
import { awsPredictedLoadDeps } from "./aws/predicted-load.ts";
import { awsSloDeps } from "./aws/slo.ts";
import type { FunctionConfig, FunctionName } from "./config.ts";
import type { JobResult } from "./job.ts";
import type { LocalDeps } from "./local-deps.ts";

/** A built handler: the middy stack, called like Lambda calls it. */
export type JobHandler = (event: unknown, context: Context) => Promise<JobResult>;

/**
 * The handler of `name` over local dependencies: the same factory the SST entry point
 * uses, so `slo invoke --local` runs the real middy stack.
 *
 * @example
 * const run = localHandler("burn-rate-evaluator", localDeps("burn-rate-evaluator"));
 */
export function localHandler(name: FunctionName, deps: LocalDeps): JobHandler {
  switch (name) {
    case "slo-calculator":
      return createSloCalculator(deps) as JobHandler;
    case "burn-rate-evaluator":
      return createBurnRateEvaluator(deps) as JobHandler;
    case "predicted-load":
      return createPredictedLoad(deps) as JobHandler;
  }
}

/**
 * The handler of `name` over the AWS wiring (what `handlers/<name>.ts` exports), with
 * the sink and notifier choices `slo invoke --aws` needs.
 *
 * @example
 * const run = awsHandler("slo-calculator", loadFunctionConfig("slo-calculator", process.env), { sink: "put-metric-data" });
 */
export function awsHandler(
  name: FunctionName,
  config: FunctionConfig,
  opts: AwsDepsOptions = {},
): JobHandler {
  switch (name) {
    case "slo-calculator":
      return createSloCalculator(awsSloDeps(config, opts)) as JobHandler;
    case "burn-rate-evaluator":
      return createBurnRateEvaluator(awsBurnRateDeps(config, opts)) as JobHandler;
    case "predicted-load":
      return createPredictedLoad(awsPredictedLoadDeps(config, opts)) as JobHandler;
  }
}
