/**
 * Hand-built SLO definitions for the monitoring tests, following the fleet
 * conventions (ten services x four SLOs, 30d rolling, the four default tiers).
 * Built by hand rather than through the YAML loader so these tests depend only on
 * the `SloDefinition` contract.
 */

import { FLEET_SERVICES } from "../embedded/index.ts";
import type { AlertTier, CloudWatchMetricStat, Objective, SloDefinition } from "../spec/model.ts";

export { FLEET_SERVICES };

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const PERIOD = 30 * DAY;

function tier(
  name: string,
  severity: "page" | "ticket",
  longWindowMs: number,
  budgetFraction: number,
): AlertTier {
  return {
    name,
    severity,
    longWindowMs,
    shortWindowMs: longWindowMs / 12,
    budgetFraction,
    burnRateThreshold: Number(((budgetFraction * PERIOD) / longWindowMs).toFixed(6)),
  };
}

/** The four default tiers for a 30-day period: 14.4, 6, 3, 1. */
export const DEFAULT_TIERS: readonly AlertTier[] = [
  tier("page-fast", "page", HOUR, 0.02),
  tier("page-slow", "page", 6 * HOUR, 0.05),
  tier("ticket-fast", "ticket", DAY, 0.1),
  tier("ticket-slow", "ticket", 3 * DAY, 0.1),
];

function alb(metricName: string, stat: string, service: string): CloudWatchMetricStat {
  return {
    kind: "metric",
    namespace: "AWS/ApplicationELB",
    metricName,
    dimensions: { Service: service },
    stat,
  };
}

function base(service: string, name: string, objectives: Objective[]) {
  return {
    name,
    service,
    budgetingMethod: "Occurrences" as const,
    timeWindow: { type: "rolling" as const, durationMs: PERIOD },
    objectives,
    alertTiers: DEFAULT_TIERS,
    exclusions: [],
    minEvents: 100,
    labels: { team: "platform" },
    location: { file: `slos/${service}.yaml`, line: 1 },
  };
}

/** The four conventional SLOs of one service. */
export function serviceSlos(service: string): SloDefinition[] {
  const total = alb("RequestCount", "Sum", service);
  return [
    {
      ...base(service, `${service}-availability`, [{ name: "objective-1", target: 0.999 }]),
      indicator: {
        type: "ratio",
        counter: true,
        bad: {
          kind: "expression",
          expression: "m1 + m2",
          metrics: {
            m1: alb("HTTPCode_Target_5XX_Count", "Sum", service),
            m2: alb("TargetConnectionErrorCount", "Sum", service),
          },
        },
        total,
      },
    },
    {
      ...base(service, `${service}-latency-p95`, [
        { name: "objective-1", target: 0.95, op: "lte", value: 0.25 },
      ]),
      indicator: { type: "threshold", metric: alb("TargetResponseTime", "p95", service) },
    },
    {
      ...base(service, `${service}-latency-p99`, [
        { name: "objective-1", target: 0.99, op: "lte", value: 0.5 },
      ]),
      indicator: { type: "threshold", metric: alb("TargetResponseTime", "p99", service) },
    },
    {
      ...base(service, `${service}-error-rate`, [{ name: "objective-1", target: 0.999 }]),
      indicator: {
        type: "ratio",
        counter: true,
        bad: alb("HTTPCode_Target_5XX_Count", "Sum", service),
        total,
      },
    },
  ];
}

/** All forty SLOs of the ten-service fleet. */
export function fleetSlos(services: readonly string[] = FLEET_SERVICES): SloDefinition[] {
  return services.flatMap(serviceSlos);
}
