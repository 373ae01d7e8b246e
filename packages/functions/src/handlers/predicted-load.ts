import { createPredictedLoad } from "../jobs/predicted-load.ts";
import { awsPredictedLoadDeps } from "../runtime/aws/predicted-load.ts";
import { loadFunctionConfig } from "../runtime/config.ts";

/** SST handler `packages/functions/src/handlers/predicted-load.handler` (every 15 minutes). */
export const handler = createPredictedLoad(
  awsPredictedLoadDeps(loadFunctionConfig("predicted-load", process.env)),
);
