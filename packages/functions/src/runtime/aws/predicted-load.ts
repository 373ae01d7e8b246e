import { capacityMetrics } from "../capacity-metrics.ts";
import type { FunctionConfig } from "../config.ts";
import type { PredictedLoadDeps } from "../deps.ts";
import { type AwsDepsOptions, awsBaseDeps } from "./common.ts";

const DAY_MS = 86_400_000;

/** Defaults of the forecast: 14 days of history, as ECS predictive scaling uses. */
export const PREDICTED_LOAD_DEFAULTS = {
  historyMs: 14 * DAY_MS,
} as const;

/**
 * AWS dependencies of the predicted-load job.
 *
 * @example
 * export const handler = createPredictedLoad(awsPredictedLoadDeps(loadFunctionConfig("predicted-load", process.env)));
 */
export function awsPredictedLoadDeps(
  config: FunctionConfig,
  opts: AwsDepsOptions = {},
): PredictedLoadDeps {
  return {
    ...awsBaseDeps(config, opts),
    capacityMetrics,
    ...PREDICTED_LOAD_DEFAULTS,
  };
}
