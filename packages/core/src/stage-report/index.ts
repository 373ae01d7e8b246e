export { encodeStageReport, parseStageReport } from "./codec.ts";
export { gateObjectivesFromStageReport, staleness } from "./gate.ts";
export {
  ALERT_STATE_VALUE,
  type AlertStateValue,
  buildStageReport,
  firingServices,
  objectiveAlertState,
  STAGE_REPORT_KEY,
  STAGE_REPORT_MAX_AGE_STEPS,
  STAGE_REPORT_PREFIX,
  STAGE_REPORT_VERSION,
  type StageReport,
  StageReportError,
  type StageReportFailure,
  type StageReportObjective,
  stageReportObjectives,
} from "./model.ts";
