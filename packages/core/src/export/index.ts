export type {
  AppSignalsExclusionWindow,
  AppSignalsMetricDataQuery,
  AppSignalsSlo,
  CreateServiceLevelObjectiveRequest,
} from "./application-signals.ts";
export { applicationSignalsSlos } from "./application-signals.ts";
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
