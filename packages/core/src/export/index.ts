export type {
  AppSignalsExclusionWindow,
  AppSignalsMetricDataQuery,
  AppSignalsSlo,
  CreateServiceLevelObjectiveRequest,
} from "./application-signals.ts";
export { applicationSignalsSlos } from "./application-signals.ts";
export type {
  GrafanaBackend,
  GrafanaDashboard,
  GrafanaDatasource,
  GrafanaPanel,
  GrafanaTarget,
} from "./grafana.ts";
export { GRAFANA_SCHEMA_VERSION, grafanaDashboards } from "./grafana.ts";
export { openMetricsChunks } from "./openmetrics.ts";
export type { PrometheusSeriesRef } from "./prometheus-names.ts";
export {
  escapeLabelValue,
  formatLabels,
  PrometheusMappingError,
  prometheusFamily,
  prometheusSeries,
  promqlSelector,
  snakeCase,
} from "./prometheus-names.ts";
export type {
  CannotExpress,
  PrometheusRule,
  PrometheusRuleGroup,
  PrometheusRulesResult,
} from "./prometheus-rules.ts";
export {
  errorRatioRecord,
  eventsRecord,
  promDuration,
  prometheusRules,
  prometheusRulesYaml,
} from "./prometheus-rules.ts";
