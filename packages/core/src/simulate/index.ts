/**
 * `@slo/core/simulate`: replays a load trace through static, target-tracking and
 * predictive scaling and measures SLO risk, time to capacity and cost.
 */
export type { Ramp } from "./ramps.ts";
export { findRamps, smooth } from "./ramps.ts";
export type { PolicyName, PolicyResult, SimulationOptions, SimulationResult } from "./simulator.ts";
export { perMinuteLoad, SimulationError, simulateScaling } from "./simulator.ts";
