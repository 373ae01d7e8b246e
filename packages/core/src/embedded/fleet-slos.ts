import type { CloudWatchMetricStat, SloDefinition } from "../spec/model.ts";
import { FLEET_SERVICES } from "./profiles.ts";

const ALB = "AWS/ApplicationELB";
const THIRTY_DAYS_MS = 30 * 86_400_000;

function alb(service: string, metricName: string, stat: string): CloudWatchMetricStat {
  return { kind: "metric", namespace: ALB, metricName, dimensions: { Service: service }, stat };
}

/**
 * The fleet conventions' four SLOs for one service (availability, latency p95/p99, error
 * rate; 30-day rolling), as normalised definitions. The YAML under `slos/` is the source
 * of truth for users; this in-code copy lets the metrics export and tests work without
 * parsing files. Alert tiers are left empty so the SLO engine applies its defaults.
 *
 * @example
 * fleetServiceSlos("user-service").map((s) => s.name);
 * // ["user-service-availability", "user-service-latency-p95", ...]
 */
export function fleetServiceSlos(service: string): SloDefinition[] {
  const common = {
    service,
    timeWindow: { type: "rolling", durationMs: THIRTY_DAYS_MS } as const,
    budgetingMethod: "Occurrences" as const,
    alertTiers: [],
    exclusions: [],
    minEvents: 0,
    labels: {},
    location: { file: "(embedded fleet)", line: 1 },
  };
  const total = alb(service, "RequestCount", "Sum");
  return [
    {
      ...common,
      name: `${service}-availability`,
      indicator: {
        type: "ratio",
        counter: true,
        bad: {
          kind: "expression",
          expression: "FILL(m1, 0) + FILL(m2, 0)",
          metrics: {
            m1: alb(service, "HTTPCode_Target_5XX_Count", "Sum"),
            m2: alb(service, "TargetConnectionErrorCount", "Sum"),
          },
        },
        total,
      },
      objectives: [{ name: "availability", target: 0.999 }],
    },
    {
      ...common,
      name: `${service}-latency-p95`,
      indicator: { type: "threshold", metric: alb(service, "TargetResponseTime", "p95") },
      objectives: [{ name: "p95-under-250ms", target: 0.95, op: "lte", value: 0.25 }],
    },
    {
      ...common,
      name: `${service}-latency-p99`,
      indicator: { type: "threshold", metric: alb(service, "TargetResponseTime", "p99") },
      objectives: [{ name: "p99-under-500ms", target: 0.99, op: "lte", value: 0.5 }],
    },
    {
      ...common,
      name: `${service}-error-rate`,
      indicator: {
        type: "ratio",
        counter: true,
        bad: alb(service, "HTTPCode_Target_5XX_Count", "Sum"),
        total,
      },
      objectives: [{ name: "error-rate", target: 0.999 }],
    },
  ];
}

/**
 * The 40 SLOs of the embedded fleet (ten services x four).
 *
 * @example
 * embeddedFleetSlos().length; // 40
 */
export function embeddedFleetSlos(): SloDefinition[] {
  return FLEET_SERVICES.flatMap(fleetServiceSlos);
}
