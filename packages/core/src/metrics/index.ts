export { answerQuery } from "./answer.ts";
export type { CollectOptions, CollectResult } from "./collect.ts";
export { collectCounts } from "./collect.ts";
export { MetricQueryError, rangeSteps, TimeRangeError } from "./errors.ts";
export type { BinaryOp, ExprNode } from "./expression.ts";
export {
  ExpressionError,
  evaluateExpression,
  expressionIds,
  parseExpression,
} from "./expression.ts";
export type { FileSeries, MetricsFile, ParseMetricsOptions } from "./file-format.ts";
export {
  CSV_HEADER,
  MetricsFileError,
  metricsCsvChunks,
  metricsJsonChunks,
  parseMetricsCsv,
  parseMetricsFile,
  parseMetricsJson,
  seriesKey,
} from "./file-format.ts";
export { FileMetricsSource, MAX_METRICS_FILE_BYTES } from "./file-source.ts";
export type { CountRecipe, PlannedObjective, PlannedSlo, QueryPlan } from "./plan.ts";
export { PlanError, planSloQueries, queryKey } from "./plan.ts";
export type {
  CountSeries,
  MetricQuery,
  MetricSeries,
  MetricsSource,
  TimeRange,
} from "./source.ts";
export type { Stat, StatBound } from "./stat.ts";
export { canonicalStat, formatStat, isAdditive, parseStat, StatError } from "./stat.ts";
