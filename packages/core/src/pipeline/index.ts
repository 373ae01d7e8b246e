export type {
  ComputeSloReportsInput,
  ComputeSloReportsResult,
  SloFailure,
} from "./compute.ts";
export { computeSloReports } from "./compute.ts";
export { requiredLookbackMs, sloHistoryMs } from "./lookback.ts";
