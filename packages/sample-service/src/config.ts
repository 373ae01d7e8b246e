/**
 * Sample-service configuration: read from environment variables at start and
 * validated there, so a typo in a task definition fails the deploy with a message
 * naming the variable instead of silently serving the default.
 */

/** Thrown when a configuration value is invalid; the message names the env var. */
export class ServiceConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ServiceConfigError";
  }
}

export interface SampleServiceConfig {
  /** `PORT`: 0 picks a free port (tests). Default 8080. */
  readonly port: number;
  /** `HOST`: default `0.0.0.0` (containers); tests use `127.0.0.1`. */
  readonly host: string;
  /** `SERVICE_NAME`: reported by `/health` and in every log line. */
  readonly serviceName: string;
  /** `LATENCY_MEDIAN_MS`: median of the log-normal base latency of API calls (0 = none). */
  readonly latencyMedianMs: number;
  /** `LATENCY_SIGMA`: log-space standard deviation (0.5 puts p95 at ~2.3x the median). */
  readonly latencySigma: number;
  /** `FAULT_ERROR_RATE`: fraction 0..1 of API requests answered with 500. */
  readonly faultErrorRate: number;
  /** `FAULT_LATENCY_MS`: extra latency added to a fraction of API requests. */
  readonly faultLatencyMs: number;
  /** `FAULT_LATENCY_RATE`: fraction 0..1 of API requests that get the extra latency (default 1). */
  readonly faultLatencyRate: number;
  /** `RANDOM_SEED`: integer; makes latency and faults reproducible (tests). */
  readonly randomSeed?: number;
  /** `DRAIN_DELAY_MS`: after SIGTERM, how long `/health` reports 503 while still serving (load balancer deregistration). */
  readonly drainDelayMs: number;
  /** `SHUTDOWN_TIMEOUT_MS`: after draining, how long in-flight requests get before connections are cut. */
  readonly shutdownTimeoutMs: number;
  /** `LOG_REQUESTS`: `false` silences per-request log lines (lifecycle lines stay). */
  readonly logRequests: boolean;
  /**
   * `BASE_PATH`: the prefix the shared ALB routes to this service (`/order-service`).
   * Requests under it are served as if it were absent, so `/order-service/api/items`
   * and the target-level `/api/items` reach the same handler. Default: none.
   */
  readonly basePath: string;
}

export const DEFAULT_CONFIG: SampleServiceConfig = {
  port: 8080,
  host: "0.0.0.0",
  serviceName: "sample-service",
  latencyMedianMs: 20,
  latencySigma: 0.5,
  faultErrorRate: 0,
  faultLatencyMs: 0,
  faultLatencyRate: 1,
  drainDelayMs: 5_000,
  shutdownTimeoutMs: 10_000,
  logRequests: true,
  basePath: "",
};

/** Env var of each field, for error messages. */
const ENV_NAMES: Record<keyof SampleServiceConfig, string> = {
  port: "PORT",
  host: "HOST",
  serviceName: "SERVICE_NAME",
  latencyMedianMs: "LATENCY_MEDIAN_MS",
  latencySigma: "LATENCY_SIGMA",
  faultErrorRate: "FAULT_ERROR_RATE",
  faultLatencyMs: "FAULT_LATENCY_MS",
  faultLatencyRate: "FAULT_LATENCY_RATE",
  randomSeed: "RANDOM_SEED",
  drainDelayMs: "DRAIN_DELAY_MS",
  shutdownTimeoutMs: "SHUTDOWN_TIMEOUT_MS",
  logRequests: "LOG_REQUESTS",
  basePath: "BASE_PATH",
};

function invalid(
  key: keyof SampleServiceConfig,
  value: unknown,
  expected: string,
): ServiceConfigError {
  return new ServiceConfigError(
    `${ENV_NAMES[key]}=${JSON.stringify(value)} is not valid: ${expected}`,
  );
}

function checkNumber(
  key: keyof SampleServiceConfig,
  value: number,
  { min, max, integer, example }: { min: number; max: number; integer?: boolean; example: string },
): number {
  if (
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? "an integer" : "a number";
    throw invalid(key, value, `write ${kind} from ${min} to ${max} (for example ${example})`);
  }
  return value;
}

/**
 * Validates a full configuration (from env or from code) and returns it frozen.
 *
 * @example
 * validateConfig({ ...DEFAULT_CONFIG, faultErrorRate: 0.05 });
 */
export function validateConfig(config: SampleServiceConfig): SampleServiceConfig {
  checkNumber("port", config.port, { min: 0, max: 65535, integer: true, example: "8080" });
  if (config.host.trim() === "")
    throw invalid("host", config.host, "write an address such as 0.0.0.0");
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(config.serviceName)) {
    throw invalid(
      "serviceName",
      config.serviceName,
      "write letters, digits, '.', '_' or '-' (for example order-service)",
    );
  }
  checkNumber("latencyMedianMs", config.latencyMedianMs, { min: 0, max: 60_000, example: "20" });
  checkNumber("latencySigma", config.latencySigma, { min: 0, max: 3, example: "0.5" });
  checkNumber("faultErrorRate", config.faultErrorRate, { min: 0, max: 1, example: "0.05" });
  checkNumber("faultLatencyMs", config.faultLatencyMs, { min: 0, max: 120_000, example: "300" });
  checkNumber("faultLatencyRate", config.faultLatencyRate, { min: 0, max: 1, example: "0.1" });
  if (config.randomSeed !== undefined) {
    checkNumber("randomSeed", config.randomSeed, {
      min: 0,
      max: 2 ** 32 - 1,
      integer: true,
      example: "42",
    });
  }
  checkNumber("drainDelayMs", config.drainDelayMs, {
    min: 0,
    max: 300_000,
    integer: true,
    example: "5000",
  });
  checkNumber("shutdownTimeoutMs", config.shutdownTimeoutMs, {
    min: 0,
    max: 300_000,
    integer: true,
    example: "10000",
  });
  if (config.basePath !== "" && !/^(\/[A-Za-z0-9._~-]+)+$/.test(config.basePath)) {
    throw invalid(
      "basePath",
      config.basePath,
      "write a path starting with / and without a trailing / (for example /order-service)",
    );
  }
  return Object.freeze({ ...config });
}

function num(
  env: Readonly<Record<string, string | undefined>>,
  key: keyof SampleServiceConfig,
): number | undefined {
  const raw = env[ENV_NAMES[key]];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw.trim());
  if (Number.isNaN(value)) throw invalid(key, raw, "write a number");
  return value;
}

function bool(
  env: Readonly<Record<string, string | undefined>>,
  key: keyof SampleServiceConfig,
): boolean | undefined {
  const raw = env[ENV_NAMES[key]]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return undefined;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw invalid(key, env[ENV_NAMES[key]], "write true or false");
}

/**
 * Reads and validates the configuration from environment variables; unset or empty
 * variables take the defaults in {@link DEFAULT_CONFIG}.
 *
 * @example
 * const config = loadConfig(process.env); // throws ServiceConfigError naming e.g. FAULT_ERROR_RATE
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): SampleServiceConfig {
  const d = DEFAULT_CONFIG;
  const seed = num(env, "randomSeed");
  return validateConfig({
    port: num(env, "port") ?? d.port,
    host: env.HOST?.trim() || d.host,
    serviceName: env.SERVICE_NAME?.trim() || d.serviceName,
    latencyMedianMs: num(env, "latencyMedianMs") ?? d.latencyMedianMs,
    latencySigma: num(env, "latencySigma") ?? d.latencySigma,
    faultErrorRate: num(env, "faultErrorRate") ?? d.faultErrorRate,
    faultLatencyMs: num(env, "faultLatencyMs") ?? d.faultLatencyMs,
    faultLatencyRate: num(env, "faultLatencyRate") ?? d.faultLatencyRate,
    ...(seed === undefined ? {} : { randomSeed: seed }),
    drainDelayMs: num(env, "drainDelayMs") ?? d.drainDelayMs,
    shutdownTimeoutMs: num(env, "shutdownTimeoutMs") ?? d.shutdownTimeoutMs,
    logRequests: bool(env, "logRequests") ?? d.logRequests,
    basePath: env.BASE_PATH?.trim() ?? d.basePath,
  });
}
