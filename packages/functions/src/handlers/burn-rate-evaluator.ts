import { createBurnRateEvaluator } from "../jobs/burn-rate-evaluator.ts";
import { awsBurnRateDeps } from "../runtime/aws/burn-rate.ts";
import { loadFunctionConfig } from "../runtime/config.ts";

/** SST handler `packages/functions/src/handlers/burn-rate-evaluator.handler` (every 5 minutes). */
export const handler = createBurnRateEvaluator(
  awsBurnRateDeps(loadFunctionConfig("burn-rate-evaluator", process.env)),
);
