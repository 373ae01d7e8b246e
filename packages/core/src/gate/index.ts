export type { GateDecision, GateObjective, GatePolicy, GateVerdict } from "./decide.ts";
export { decideDeploy, GatePolicyError, gateObjectivesFromReports } from "./decide.ts";
