import { CanaryConfigError, type CanaryStep, defaultCanarySteps } from "./steps.ts";

/**
 * Canary settings come from the canary's `runConfig.environmentVariables` (set by
 * infra per service), so one script serves every service.
 */
export interface CanaryEnvConfig {
  readonly baseUrl: string;
  readonly steps: readonly CanaryStep[];
}

export const CANARY_ENV = {
  baseUrl: "CANARY_BASE_URL",
  healthPath: "CANARY_HEALTH_PATH",
  apiPath: "CANARY_API_PATH",
  latencyBudgetMs: "CANARY_LATENCY_BUDGET_MS",
  timeoutMs: "CANARY_TIMEOUT_MS",
  downstreamsPath: "CANARY_DOWNSTREAMS_PATH",
} as const;

function positive(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!(Number.isFinite(n) && n > 0)) {
    throw new CanaryConfigError(
      `${name}=${JSON.stringify(raw)} is not valid: write a positive number of milliseconds (e.g. 1000)`,
    );
  }
  return n;
}

function path(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return undefined;
  if (!raw.startsWith("/")) {
    throw new CanaryConfigError(
      `${name}=${JSON.stringify(raw)} is not valid: write a path starting with "/" (e.g. /health)`,
    );
  }
  return raw;
}

/**
 * Reads the canary configuration from environment variables.
 *
 * @example
 * canaryConfigFromEnv({ CANARY_BASE_URL: "http://alb.example.com/order-service" });
 * // { baseUrl: "http://alb.example.com/order-service", steps: [health, api] }
 */
export function canaryConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): CanaryEnvConfig {
  const baseUrl = env[CANARY_ENV.baseUrl]?.trim();
  if (!baseUrl) {
    throw new CanaryConfigError(
      `${CANARY_ENV.baseUrl} is not set: set it in the canary's runConfig.environmentVariables to the service's URL (e.g. http://my-alb.eu-west-1.elb.amazonaws.com)`,
    );
  }
  const healthPath = path(env, CANARY_ENV.healthPath);
  const apiPath = path(env, CANARY_ENV.apiPath);
  const latencyBudgetMs = positive(env, CANARY_ENV.latencyBudgetMs);
  const timeoutMs = positive(env, CANARY_ENV.timeoutMs);
  const downstreamsPath = path(env, CANARY_ENV.downstreamsPath);
  return {
    baseUrl,
    steps: defaultCanarySteps({
      ...(healthPath === undefined ? {} : { healthPath }),
      ...(apiPath === undefined ? {} : { apiPath }),
      ...(latencyBudgetMs === undefined ? {} : { latencyBudgetMs }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(downstreamsPath === undefined ? {} : { downstreamsPath }),
    }),
  };
}
