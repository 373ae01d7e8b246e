export type { GateDecision, GateObjective, GatePolicy, GateVerdict } from "./decide.ts";
export {
  decideDeploy,
  GatePolicyError,
  gateObjectivesFromReports,
  untrustedObjectives,
} from "./decide.ts";
