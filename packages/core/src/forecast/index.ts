/**
 * `@slo/core/forecast`: load forecasting (candidate models, automatic choice per
 * horizon, prediction intervals), rolling-origin backtests and the load-trace CSV reader.
 */

export type { ForecastOptions, LoadForecast } from "./auto.ts";
export { ForecastError, forecastLoad, MODELS } from "./auto.ts";
export type { BacktestOptions, BacktestResult } from "./backtest.ts";
export { BacktestError, backtest } from "./backtest.ts";
export type { FitContext, ModelBuilder, PreparedModel } from "./model.ts";
export { calendarSteps, detectSeasons } from "./seasons.ts";
export type { LoadSeries, LoadTrace, ParseLoadTraceOptions } from "./trace-csv.ts";
export { LoadTraceError, parseLoadTrace } from "./trace-csv.ts";
