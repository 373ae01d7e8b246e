/**
 * `@slo/core/doctor`: judging a deployed stage against what it declares. Pure: the
 * declaration and the observation are plain data, each check a function of both.
 */
export {
  checkAlarms,
  checkBudgets,
  checkCanaries,
  checkJobs,
  checkPosture,
  checkScaling,
  checkServices,
  checkStageReport,
  checkTargetGroups,
  DOCTOR_CHECKS,
  runDoctor,
} from "./checks.ts";
export type * from "./model.ts";
