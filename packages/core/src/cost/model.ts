import { CostModelError } from "./errors.ts";
import { PRICES, type PriceTable } from "./prices.ts";

/** Billable units of the SLO platform over one month (what the benchmark counts). */
export interface MonthlyUsage {
  /** Unique metric name + dimensions published in the month. */
  readonly customMetrics: number;
  /** Metrics referenced by alarms (a metric-math alarm counts each of its metrics). */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly getMetricDataMetrics: number;
  readonly putMetricDataRequests: number;
  /** Bytes of EMF log lines (ingested as CloudWatch Logs). */
  readonly logIngestedBytes: number;
  /** Average bytes held in CloudWatch Logs over the month (retention x daily volume). */
  readonly logStoredBytes: number;
  readonly s3Puts: number;
  readonly s3Gets: number;
  /** Average bytes held in S3 over the month. */
  readonly s3StoredBytes: number;
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly sfnExpressRequests: number;
  readonly sfnExpressGbSeconds: number;
  readonly sqsRequests: number;
  readonly snsPublishes: number;
}

/** Cost lines in USD per month, keyed like `MonthlyUsage`, plus the total. */
export interface CostBreakdown {
  readonly lines: Readonly<Record<keyof MonthlyUsage, number>>;
  readonly totalUsd: number;
}

const GB = 1024 ** 3;

/**
 * Monthly cost of `n` custom metrics under the tiered price: each tier prices only the
 * metrics that fall inside it, so the cost is continuous and never decreases with `n`.
 *
 * @example
 * customMetricsCost(10_001); // 3000.1
 */
export function customMetricsCost(n: number, prices: PriceTable = PRICES): number {
  check("customMetrics", n);
  let usd = 0;
  let below = 0;
  for (const tier of prices.customMetricTiers) {
    const inTier = Math.max(0, Math.min(n, tier.upTo) - below);
    usd += inTier * tier.usd;
    below = tier.upTo;
    if (n <= tier.upTo) break;
  }
  return usd;
}

/**
 * Prices a month of usage line by line.
 *
 * @example
 * const { totalUsd, lines } = priceUsage(usage);
 * lines.customMetrics; // the largest line for a fleet that publishes every metric
 */
export function priceUsage(u: MonthlyUsage, prices: PriceTable = PRICES): CostBreakdown {
  for (const [k, v] of Object.entries(u)) check(k, v);
  const lines: Record<keyof MonthlyUsage, number> = {
    customMetrics: customMetricsCost(u.customMetrics, prices),
    alarmMetrics: u.alarmMetrics * prices.alarmMetricMonth,
    dashboards: Math.max(0, u.dashboards - prices.freeDashboards) * prices.dashboardMonth,
    getMetricDataMetrics: (u.getMetricDataMetrics / 1000) * prices.getMetricDataPer1kMetrics,
    putMetricDataRequests: (u.putMetricDataRequests / 1000) * prices.putMetricDataPer1kRequests,
    logIngestedBytes: (u.logIngestedBytes / GB) * prices.logsIngestionPerGb,
    logStoredBytes: (u.logStoredBytes / GB) * prices.logsStoragePerGbMonth,
    s3Puts: (u.s3Puts / 1000) * prices.s3PutPer1k,
    s3Gets: (u.s3Gets / 1000) * prices.s3GetPer1k,
    s3StoredBytes: (u.s3StoredBytes / GB) * prices.s3GbMonth,
    lambdaRequests: (u.lambdaRequests / 1e6) * prices.lambdaPerMillionRequests,
    lambdaGbSeconds: u.lambdaGbSeconds * prices.lambdaArmGbSecond,
    sfnExpressRequests: (u.sfnExpressRequests / 1e6) * prices.sfnExpressPerMillionRequests,
    sfnExpressGbSeconds: u.sfnExpressGbSeconds * prices.sfnExpressGbSecond,
    sqsRequests: (u.sqsRequests / 1e6) * prices.sqsPerMillionRequests,
    snsPublishes: (u.snsPublishes / 1e6) * prices.snsPerMillionPublishes,
  };
  const totalUsd = Object.values(lines).reduce((a, b) => a + b, 0);
  return { lines, totalUsd };
}

/** The fleet's own infrastructure, priced apart from the SLO platform. */
export interface FleetInfraUsage {
  readonly natGateways: number;
  /** GB through the NAT gateways per month. */
  readonly natGb: number;
  readonly loadBalancers: number;
  /** Average LCUs per load balancer. */
  readonly lcus: number;
  /** Average running Fargate tasks, with their size. */
  readonly tasks: number;
  readonly taskVcpu: number;
  readonly taskGb: number;
  readonly canaries: number;
  /** Runs per canary per month. */
  readonly canaryRunsEach: number;
}

/**
 * Monthly cost of the fleet itself and its canaries (30-day month): reported apart from
 * the SLO platform, which is what `usd_per_slo_month` measures.
 *
 * @example
 * priceFleetInfra({ natGateways: 3, natGb: 10, loadBalancers: 1, lcus: 1, tasks: 20,
 *   taskVcpu: 0.25, taskGb: 0.5, canaries: 10, canaryRunsEach: 8640 }).canaries; // 103.68
 */
export function priceFleetInfra(
  u: FleetInfraUsage,
  prices: PriceTable = PRICES,
): { nat: number; alb: number; fargate: number; canaries: number; totalUsd: number } {
  for (const [k, v] of Object.entries(u)) check(k, v);
  const hours = prices.hoursPerMonth;
  const nat = u.natGateways * hours * prices.natGatewayHour + u.natGb * prices.natGatewayPerGb;
  const alb = u.loadBalancers * hours * (prices.albHour + u.lcus * prices.albLcuHour);
  const fargate =
    u.tasks * hours * (u.taskVcpu * prices.fargateArmVcpuHour + u.taskGb * prices.fargateArmGbHour);
  const canaries = u.canaries * u.canaryRunsEach * prices.syntheticsPerRun;
  return { nat, alb, fargate, canaries, totalUsd: nat + alb + fargate + canaries };
}

function check(field: string, v: number): void {
  if (!Number.isFinite(v) || v < 0) {
    throw new CostModelError(
      `usage field "${field}" is ${v}; it must be a finite count >= 0 (fix the measurement that produced it)`,
    );
  }
}
