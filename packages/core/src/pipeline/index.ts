export type {
  ComputeSloReportsInput,
  ComputeSloReportsResult,
  SloFailure,
} from "./compute.ts";
export { computeSloReports } from "./compute.ts";
export { requiredLookbackMs } from "./lookback.ts";
