/**
 * `@slo/core/loadtest`: load tests shaped like real traffic, as data. Pure: the plan
 * (a trace compressed in time and scaled to a peak rate), the report rows (offered vs
 * achieved rate, latency percentiles, errors by class) and the SLO verdicts; the CLI
 * drives the load generator and hands the recorded requests back.
 */
export {
  constantPlan,
  type LoadInterval,
  type LoadPlan,
  LoadPlanError,
  MIN_INTERVAL_MS,
  replayPlan,
} from "./schedule.ts";
export { evaluateLoadSlos, type LoadSloResult } from "./slo.ts";
export {
  type ErrorClass,
  errorClass,
  type LoadRow,
  type LoadSummary,
  percentile,
  type RequestOutcome,
  type RequestSample,
  summariseRun,
} from "./summary.ts";
