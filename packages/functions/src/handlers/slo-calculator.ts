import { createSloCalculator } from "../jobs/slo-calculator.ts";
import { awsSloDeps } from "../runtime/aws/slo.ts";
import { loadFunctionConfig } from "../runtime/config.ts";

/** SST handler `packages/functions/src/handlers/slo-calculator.handler` (every 5 minutes). */
export const handler = createSloCalculator(
  awsSloDeps(loadFunctionConfig("slo-calculator", process.env)),
);
