/**
 * `@slo/core/simulate`: replays a load trace through the deployed scaling (target
 * tracking, AWS predictive on observed load, forecast tracking) and simpler policies
 * for comparison, and measures SLO risk, time to capacity and cost.
 */
export type { Ramp } from "./ramps.ts";
export { findRamps, smooth } from "./ramps.ts";
export type { PolicyName, PolicyResult, SimulationOptions, SimulationResult } from "./simulator.ts";
export { perMinuteLoad, SimulationError, simulateScaling } from "./simulator.ts";
