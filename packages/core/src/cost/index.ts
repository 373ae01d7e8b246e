/**
 * `@slo/core/cost`: what the SLO platform costs to run, from counted billable units and
 * one dated AWS price table. Pure: the benchmark measures, this prices.
 */
export { CostModelError } from "./errors.ts";
export {
  type CostBreakdown,
  customMetricsCost,
  type FleetInfraUsage,
  type MonthlyUsage,
  priceFleetInfra,
  priceUsage,
} from "./model.ts";
export { PRICES, type PriceTable } from "./prices.ts";
