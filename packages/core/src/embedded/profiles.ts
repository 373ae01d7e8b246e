/**
 * The fixed shape of the embedded fleet: the ten services' traffic and latency profiles
 * and the incidents injected into them. Kept apart from the generator so tests and docs
 * can read the intended numbers.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The instant the default embedded fleet ends (exclusive): Sat 31 Oct 2026, 12:00 UTC. */
export const EMBEDDED_FLEET_END_MS = Date.UTC(2026, 9, 31, 12, 0);
/** Default history length in days. */
export const EMBEDDED_FLEET_DAYS = 35;
/** Default generator seed. */
export const EMBEDDED_DEFAULT_SEED = 1;

/** How one service behaves when nothing is wrong. */
export interface ServiceProfile {
  readonly name: string;
  /** Mean requests per minute (the daily and weekly cycles swing around it). */
  readonly baseRpm: number;
  /** Hour of the UTC day with the most traffic. */
  readonly peakHourUtc: number;
  /** Fraction of requests answered 5xx by the targets. */
  readonly errorRatio: number;
  /** Fraction answered 4xx (client errors: neither good nor bad for availability). */
  readonly clientErrorRatio: number;
  /** Median response time, seconds, and the log-normal sigma of the spread. */
  readonly latencyMedianS: number;
  readonly latencySigma: number;
  /** Traffic growth over the generated span (0.1 = +10 % from first to last day). */
  readonly growth: number;
  readonly minTasks: number;
}

/** The ten services of the fleet with plausible, distinct profiles. */
export const FLEET_PROFILES: readonly ServiceProfile[] = [
  p("user-service", 1500, 13, 0.0002, 0.012, 0.045, 0.45, 0.08, 2),
  p("order-service", 800, 14, 0.0003, 0.008, 0.07, 0.4, 0.12, 2),
  p("inventory-service", 1200, 12, 0.0001, 0.005, 0.03, 0.45, 0.05, 2),
  p("payment-service", 600, 14, 0.0004, 0.01, 0.09, 0.4, 0.1, 3),
  p("notification-service", 300, 10, 0.0002, 0.003, 0.035, 0.5, 0.02, 2),
  p("catalog-service", 3000, 13, 0.0001, 0.02, 0.05, 0.45, 0.06, 3),
  p("analytics-service", 150, 15, 0.0005, 0.004, 0.08, 0.45, 0.15, 1),
  p("reporting-service", 20, 9, 0.0003, 0.002, 0.075, 0.45, 0.0, 1),
  p("audit-service", 250, 12, 0.0001, 0.001, 0.02, 0.4, 0.03, 1),
  p("integration-service", 400, 11, 0.0005, 0.015, 0.06, 0.5, 0.07, 2),
];

function p(
  name: string,
  baseRpm: number,
  peakHourUtc: number,
  errorRatio: number,
  clientErrorRatio: number,
  latencyMedianS: number,
  latencySigma: number,
  growth: number,
  minTasks: number,
): ServiceProfile {
  return {
    name,
    baseRpm,
    peakHourUtc,
    errorRatio,
    clientErrorRatio,
    latencyMedianS,
    latencySigma,
    growth,
    minTasks,
  };
}

/** The fleet's service names, in a stable order. */
export const FLEET_SERVICES: readonly string[] = FLEET_PROFILES.map((s) => s.name);

/**
 * What an incident does: `error_rate` raises the 5xx ratio to `magnitude`; `latency`
 * moves the median response time to `magnitude` seconds; `no_traffic` removes every ALB
 * datapoint (CloudWatch omits empty periods).
 */
export type IncidentKind = "error_rate" | "latency" | "no_traffic";

export interface EmbeddedIncident {
  readonly name: string;
  readonly service: string;
  readonly kind: IncidentKind;
  /** Epoch ms, `[startMs, endMs)`. */
  readonly startMs: number;
  readonly endMs: number;
  readonly magnitude: number;
  /** What the SLO report shows at the fleet's end instant because of it. */
  readonly expect: string;
}

/**
 * The incidents injected into a fleet ending at `endMs` (they move with the end).
 *
 * @example
 * embeddedIncidents(EMBEDDED_FLEET_END_MS).map((i) => i.name);
 */
export function embeddedIncidents(endMs: number): EmbeddedIncident[] {
  const before = (ms: number): number => endMs - ms;
  return [
    {
      name: "fast-burn outage",
      service: "payment-service",
      kind: "error_rate",
      startMs: before(40 * MINUTE_MS),
      endMs,
      magnitude: 0.25,
      expect:
        "availability and error-rate: page tier 1h/5m fires (burn rate ~170 over 1h, ~250 over 5m)",
    },
    {
      name: "slow-burn degradation",
      service: "order-service",
      kind: "error_rate",
      startMs: before(3 * DAY_MS),
      endMs,
      magnitude: 0.004,
      expect: "availability and error-rate: ticket tier 1d/2h fires (burn ~4); page tiers stay ok",
    },
    {
      name: "latency regression",
      service: "catalog-service",
      kind: "latency",
      startMs: before(8 * HOUR_MS),
      endMs,
      magnitude: 0.25,
      expect:
        "latency-p95: page tier 6h/30m fires (half the requests > 250 ms, burn ~10); latency-p99 burns too",
    },
    {
      name: "quiet period",
      service: "reporting-service",
      kind: "no_traffic",
      startMs: before(2 * HOUR_MS),
      endMs,
      magnitude: 0,
      expect: "every reporting-service SLO: windows of 2h and shorter are no_data",
    },
    {
      name: "old outage",
      service: "user-service",
      kind: "error_rate",
      startMs: before(20 * DAY_MS),
      endMs: before(20 * DAY_MS - 30 * MINUTE_MS),
      magnitude: 0.1,
      expect: "availability and error-rate: ~7 % of the 30-day budget spent, no alert fires",
    },
  ];
}

/** The incidents of the default fleet (ending at {@link EMBEDDED_FLEET_END_MS}). */
export const EMBEDDED_INCIDENTS: readonly EmbeddedIncident[] =
  embeddedIncidents(EMBEDDED_FLEET_END_MS);
