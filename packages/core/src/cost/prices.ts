/**
 * One dated table of AWS list prices (us-east-1, on-demand, no free tier: the free tier
 * is per account and the platform shares it with everything else in the account).
 * Sources: the AWS pricing pages for CloudWatch, Lambda, S3, Step Functions, SQS and
 * Synthetics as published on `asOf`, cross-checked with DESIGN.md. Update the date with
 * any figure.
 */
export interface PriceTable {
  readonly asOf: string;
  readonly region: string;
  /** Custom metrics per metric-month, tiered: `upTo` is the tier's last metric. */
  readonly customMetricTiers: ReadonlyArray<{ readonly upTo: number; readonly usd: number }>;
  /** Standard-resolution alarm, per metric in the alarm (metric math pays per metric). */
  readonly alarmMetricMonth: number;
  readonly dashboardMonth: number;
  readonly freeDashboards: number;
  readonly getMetricDataPer1kMetrics: number;
  readonly putMetricDataPer1kRequests: number;
  /** CloudWatch Logs ingestion (EMF lines are logs). */
  readonly logsIngestionPerGb: number;
  readonly logsStoragePerGbMonth: number;
  readonly s3PutPer1k: number;
  readonly s3GetPer1k: number;
  readonly s3GbMonth: number;
  /** Lambda arm64 (the jobs run on Graviton). */
  readonly lambdaArmGbSecond: number;
  readonly lambdaPerMillionRequests: number;
  readonly sfnExpressPerMillionRequests: number;
  /** Express workflows: duration x memory, billed in 64 MB / 100 ms increments. */
  readonly sfnExpressGbSecond: number;
  readonly sqsPerMillionRequests: number;
  readonly snsPerMillionPublishes: number;
  readonly syntheticsPerRun: number;
  readonly natGatewayHour: number;
  readonly natGatewayPerGb: number;
  readonly albHour: number;
  readonly albLcuHour: number;
  readonly fargateArmVcpuHour: number;
  readonly fargateArmGbHour: number;
  /** Private CA in SHORT_LIVED_CERTIFICATE mode (the zero-trust mesh's issuer), per CA-month. */
  readonly privateCaShortLivedMonth: number;
  /** Private CA in GENERAL_PURPOSE mode (not used by the mesh; priced if a plan has one). */
  readonly privateCaGeneralPurposeMonth: number;
  /** One VPC Lattice service, per service-hour. */
  readonly latticeServiceHour: number;
  /** Data processed by a VPC Lattice service, per GB. */
  readonly latticePerGb: number;
  /**
   * Hours in the model's month: 30 days, the same month every per-run count in the
   * benchmarks uses (8,640 five-minute runs), so hourly and per-run lines add up.
   */
  readonly hoursPerMonth: number;
}

/**
 * The prices the cost model uses.
 *
 * @example
 * PRICES.customMetricTiers[0]; // { upTo: 10_000, usd: 0.3 }
 */
export const PRICES: PriceTable = {
  asOf: "2026-12-01",
  region: "us-east-1",
  customMetricTiers: [
    { upTo: 10_000, usd: 0.3 },
    { upTo: 250_000, usd: 0.1 },
    { upTo: 1_000_000, usd: 0.05 },
    { upTo: Number.POSITIVE_INFINITY, usd: 0.02 },
  ],
  alarmMetricMonth: 0.1,
  dashboardMonth: 3,
  freeDashboards: 3,
  getMetricDataPer1kMetrics: 0.01,
  putMetricDataPer1kRequests: 0.01,
  logsIngestionPerGb: 0.5,
  logsStoragePerGbMonth: 0.03,
  s3PutPer1k: 0.005,
  s3GetPer1k: 0.0004,
  s3GbMonth: 0.023,
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  sfnExpressPerMillionRequests: 1,
  sfnExpressGbSecond: 0.00001667,
  sqsPerMillionRequests: 0.4,
  snsPerMillionPublishes: 0.5,
  syntheticsPerRun: 0.0012,
  natGatewayHour: 0.045,
  natGatewayPerGb: 0.045,
  albHour: 0.0225,
  albLcuHour: 0.008,
  fargateArmVcpuHour: 0.03238,
  fargateArmGbHour: 0.00356,
  // Zero trust (aws.amazon.com/private-ca/pricing, /vpc/lattice/pricing). Not modelled:
  // Private CA's per-certificate fee for the short-lived certificates ECS issues (one
  // per service, renewed within their 7-day validity) and Lattice's per-request charge
  // (the first 300,000 requests an hour per service are free). Security groups, Service
  // Connect itself and the ECS infrastructure role are free.
  privateCaShortLivedMonth: 50,
  privateCaGeneralPurposeMonth: 400,
  latticeServiceHour: 0.025,
  latticePerGb: 0.025,
  hoursPerMonth: 30 * 24,
};
