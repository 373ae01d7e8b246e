/**
 * The canary's pure core: HTTP steps against a service, each asserting a status and
 * a latency budget. No Synthetics dependency, so it runs (and is tested) anywhere
 * `fetch` exists.
 */

import { SloPlatformError } from "@slo/core/errors";

export interface CanaryStep {
  /** Step name shown in Synthetics reports, e.g. `health`. */
  readonly name: string;
  /** Path appended to the base URL (keep the base URL's own path prefix, if any). */
  readonly path: string;
  readonly method?: "GET" | "HEAD";
  /** Accepted status codes; default any 2xx. */
  readonly expectedStatus?: number | readonly number[];
  /** The response (headers and body) must complete within this many ms. */
  readonly latencyBudgetMs: number;
  /** Abort the request after this many ms (default: 5x the budget, at least 5 s). */
  readonly timeoutMs?: number;
}

export type StepFailure = "status" | "latency" | "timeout" | "network";

export interface StepResult {
  readonly name: string;
  readonly url: string;
  readonly ok: boolean;
  /** `null` when no response arrived. */
  readonly status: number | null;
  readonly durationMs: number;
  readonly failure?: StepFailure;
  /** One line, fit for a log or a step report. */
  readonly message: string;
}

export interface CanaryRunResult {
  readonly ok: boolean;
  readonly steps: readonly StepResult[];
}

/** The subset of `fetch` the steps use, so tests and Synthetics can inject their own. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    signal: AbortSignal;
    redirect: "manual";
    headers: Record<string, string>;
  },
) => Promise<{ status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** Thrown for step definitions or base URLs that cannot run. */
export class CanaryConfigError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "CanaryConfigError";
  }
}

function joinUrl(baseUrl: string, path: string): string {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch (cause) {
    throw new CanaryConfigError(
      `Base URL "${baseUrl}" is not a URL: write e.g. http://my-alb-123.eu-west-1.elb.amazonaws.com`,
      { cause },
    );
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new CanaryConfigError(`Base URL "${baseUrl}" must start with http:// or https://`);
  }
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

function statusOk(step: CanaryStep, status: number): boolean {
  const e = step.expectedStatus;
  if (e === undefined) return status >= 200 && status < 300;
  return typeof e === "number" ? status === e : e.includes(status);
}

function expectedText(step: CanaryStep): string {
  const e = step.expectedStatus;
  if (e === undefined) return "2xx";
  return typeof e === "number" ? String(e) : e.join("/");
}

function checkStep(step: CanaryStep): void {
  if (!(step.latencyBudgetMs > 0)) {
    throw new CanaryConfigError(
      `Step "${step.name}": latencyBudgetMs must be a positive number of milliseconds (e.g. 1000)`,
    );
  }
  if (step.timeoutMs !== undefined && !(step.timeoutMs > 0)) {
    throw new CanaryConfigError(
      `Step "${step.name}": timeoutMs must be a positive number of milliseconds (e.g. 5000)`,
    );
  }
}

/**
 * Runs one step: request, read the whole body, check status then latency.
 *
 * @example
 * const r = await runCanaryStep("http://127.0.0.1:8080", { name: "health", path: "/health", latencyBudgetMs: 500 });
 * r.ok; // true when 2xx within 500 ms
 */
export async function runCanaryStep(
  baseUrl: string,
  step: CanaryStep,
  fetchImpl: FetchLike = fetch,
  now: () => number = () => performance.now(),
): Promise<StepResult> {
  checkStep(step);
  const url = joinUrl(baseUrl, step.path);
  const timeoutMs = step.timeoutMs ?? Math.max(5_000, step.latencyBudgetMs * 5);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const started = now();
  const elapsed = () => Math.round((now() - started) * 10) / 10;
  const base = { name: step.name, url };
  try {
    const res = await fetchImpl(url, {
      method: step.method ?? "GET",
      signal: controller.signal,
      redirect: "manual",
      headers: { "user-agent": "slo-platform-canary" },
    });
    await res.arrayBuffer();
    const durationMs = elapsed();
    if (!statusOk(step, res.status)) {
      return {
        ...base,
        ok: false,
        status: res.status,
        durationMs,
        failure: "status",
        message: `${step.name}: ${url} answered ${res.status}, expected ${expectedText(step)} (${durationMs} ms)`,
      };
    }
    if (durationMs > step.latencyBudgetMs) {
      return {
        ...base,
        ok: false,
        status: res.status,
        durationMs,
        failure: "latency",
        message: `${step.name}: ${url} took ${durationMs} ms, over the ${step.latencyBudgetMs} ms budget`,
      };
    }
    return {
      ...base,
      ok: true,
      status: res.status,
      durationMs,
      message: `${step.name}: ${res.status} in ${durationMs} ms`,
    };
  } catch (err) {
    const durationMs = elapsed();
    if (controller.signal.aborted) {
      return {
        ...base,
        ok: false,
        status: null,
        durationMs,
        failure: "timeout",
        message: `${step.name}: ${url} did not answer within ${timeoutMs} ms`,
      };
    }
    const reason =
      err instanceof Error
        ? err.cause instanceof Error
          ? err.cause.message
          : err.message
        : String(err);
    return {
      ...base,
      ok: false,
      status: null,
      durationMs,
      failure: "network",
      message: `${step.name}: ${url} request failed: ${reason}`,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every step in order (all of them, even after a failure, so one run reports
 * everything that is wrong) and says whether all passed.
 *
 * @example
 * const run = await runCanarySteps(baseUrl, defaultCanarySteps(), fetch);
 * if (!run.ok) throw new Error(run.steps.filter((s) => !s.ok).map((s) => s.message).join("; "));
 */
export async function runCanarySteps(
  baseUrl: string,
  steps: readonly CanaryStep[],
  fetchImpl: FetchLike = fetch,
): Promise<CanaryRunResult> {
  if (steps.length === 0) throw new CanaryConfigError("A canary needs at least one step");
  const results: StepResult[] = [];
  for (const step of steps) results.push(await runCanaryStep(baseUrl, step, fetchImpl));
  return { ok: results.every((r) => r.ok), steps: results };
}

export interface DefaultStepOptions {
  readonly healthPath?: string;
  readonly apiPath?: string;
  readonly latencyBudgetMs?: number;
  readonly timeoutMs?: number;
  /**
   * The service's `/downstreams` path, for services that declare downstream calls: one
   * more step that passes only when every declared downstream answered through the
   * mesh (Service Connect, or signed through Lattice), proving the path end to end.
   */
  readonly downstreamsPath?: string;
}

/**
 * The steps every service's canary runs: the health path and one API path, plus the
 * mesh step when the service calls downstreams.
 *
 * @example
 * defaultCanarySteps({ latencyBudgetMs: 800 }).map((s) => s.path); // ["/health", "/api/items"]
 */
export function defaultCanarySteps(opts: DefaultStepOptions = {}): CanaryStep[] {
  const latencyBudgetMs = opts.latencyBudgetMs ?? 1_000;
  const timing = {
    latencyBudgetMs,
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
  };
  return [
    { name: "health", path: opts.healthPath ?? "/health", ...timing },
    { name: "api", path: opts.apiPath ?? "/api/items", ...timing },
    ...(opts.downstreamsPath === undefined
      ? []
      : [{ name: "downstreams", path: opts.downstreamsPath, expectedStatus: 200, ...timing }]),
  ];
}
