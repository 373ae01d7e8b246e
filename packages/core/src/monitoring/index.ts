/**
 * `@slo/core/monitoring`: CloudWatch dashboards and alarms built as plain data from
 * SLO definitions. Pure: infra instantiates the results, tests assert on them.
 */
export {
  type AlarmDefinition,
  AlarmDefinitionError,
  type AlarmKind,
  type AlarmMetricQuery,
  type AlarmMetricStat,
  type AlarmOptions,
  buildCanaryAlarm,
  buildFleetAlarms,
  buildJobAlarms,
  buildSloAlarms,
  type CanaryAlarmOptions,
  type ComparisonOperator,
  evaluatorNotifiesConditions,
  type FleetAlarmOptions,
  type JobMonitor,
  MAX_METRICS_PER_ALARM,
  type Severity,
  type TreatMissingData,
} from "./alarms.ts";
export { buildStageDashboards } from "./dashboards.ts";
export {
  buildDeploymentAlarms,
  type DeploymentAlarms,
  MAX_DEPLOYMENT_ALARMS,
} from "./deployment-alarms.ts";
export { buildFleetDashboard, type FleetDashboardOptions } from "./fleet-dashboard.ts";
export { buildLargeFleetDashboard } from "./large-fleet-dashboard.ts";
export {
  alertWindows,
  burnRateMetric,
  canarySuccessMetric,
  type Dimensions,
  ECS_NAMESPACE,
  jobMetric,
  METRICS_PROFILES,
  MetricIdentityError,
  type MetricRef,
  type MetricsProfile,
  objectiveSloDimension,
  objectiveViews,
  publishesObjectiveMetrics,
  publishesServiceAlertState,
  SLO_METRIC_PERIOD_SECONDS,
  SLO_METRICS,
  SLO_NAMESPACE,
  STAGE_DIMENSION,
  SYNTHETICS_NAMESPACE,
  serviceAlertStateMetric,
  serviceDimensions,
  sloDimensions,
  sloMetric,
  stageDimensions,
  windowLabel,
} from "./metrics.ts";
export {
  ALARM_NAME_MAX,
  alarmName,
  CANARY_NAME_MAX,
  canaryName,
  DASHBOARD_NAME_MAX,
  dashboardName,
  isValidAlarmName,
  isValidCanaryName,
  isValidDashboardName,
  MonitoringNameError,
} from "./names.ts";
export { perSloDetailWidget, sloValuesQuery } from "./per-slo-detail.ts";
export {
  buildServiceDashboard,
  DashboardInputError,
  type DashboardOptions,
} from "./service-dashboard.ts";
export { buildStageDashboard, SERVICE_VARIABLE_ID } from "./stage-dashboard.ts";
export type { DashboardVariable } from "./widgets.ts";
export {
  type DashboardBody,
  type DashboardDefinition,
  DashboardLimitError,
  type DashboardWidget,
  MAX_BODY_BYTES,
  MAX_METRICS_PER_DASHBOARD,
  MAX_METRICS_PER_WIDGET,
  MAX_WIDGETS,
} from "./widgets.ts";
