/**
 * The file Synthetics loads (bundled to `nodejs/node_modules/slo-canary.js`, handler
 * `slo-canary.handler`). Thin on purpose: configuration from env, the steps from
 * `steps.ts`, and each step wrapped in `synthetics.executeStep` when the Synthetics
 * library is present so it shows up as a step with its own success metric.
 */

import { createRequire } from "node:module";
import { SloPlatformError } from "@slo/core/errors";
import { canaryConfigFromEnv } from "./config.ts";
import { type CanaryRunResult, type FetchLike, runCanaryStep, type StepResult } from "./steps.ts";

/** The part of the Synthetics library this canary uses. */
export interface SyntheticsLike {
  executeStep<T>(stepName: string, fn: () => Promise<T>): Promise<T>;
}

/** Thrown at the end of a run with failed steps, so Synthetics marks the run failed. */
export class CanaryFailedError extends SloPlatformError {
  readonly result: CanaryRunResult;
  constructor(result: CanaryRunResult) {
    super(
      `Canary failed: ${result.steps
        .filter((s) => !s.ok)
        .map((s) => s.message)
        .join("; ")}`,
      "aws",
    );
    this.name = "CanaryFailedError";
    this.result = result;
  }
}

/**
 * Module names of the Synthetics library: the current namespace first
 * (`syn-nodejs-puppeteer-13.1` and later), then the legacy one.
 */
export const SYNTHETICS_MODULES = ["@aws/synthetics-puppeteer", "Synthetics"] as const;

/**
 * Loads the Synthetics library if this runs inside a canary; `undefined` elsewhere
 * (unit tests, a local run). `require`-based because the runtime provides it as a
 * CommonJS module in the layer's `node_modules`, next to this file.
 */
export function loadSynthetics(from: string = import.meta.url): SyntheticsLike | undefined {
  const req = createRequire(from);
  for (const name of SYNTHETICS_MODULES) {
    let mod: unknown;
    try {
      mod = req(name);
    } catch (err) {
      if ((err as { code?: string }).code === "MODULE_NOT_FOUND") continue;
      throw err;
    }
    const lib = (mod as { default?: unknown }).default ?? mod;
    if (typeof (lib as SyntheticsLike).executeStep === "function") return lib as SyntheticsLike;
  }
  return undefined;
}

export interface RunDeps {
  readonly synthetics?: SyntheticsLike | undefined;
  readonly fetchImpl?: FetchLike;
  readonly log?: (line: string) => void;
}

/**
 * One canary run: every step (inside `executeStep` when Synthetics is given), one
 * JSON log line per step, and a {@link CanaryFailedError} at the end if any failed.
 *
 * @example
 * await runCanary({ CANARY_BASE_URL: svc.url }, { synthetics: undefined });
 */
export async function runCanary(
  env: Readonly<Record<string, string | undefined>>,
  deps: RunDeps = {},
): Promise<CanaryRunResult> {
  const { baseUrl, steps } = canaryConfigFromEnv(env);
  const log = deps.log ?? ((line: string) => console.log(line));
  const fetchImpl = deps.fetchImpl ?? fetch;
  const results: StepResult[] = [];
  for (const step of steps) {
    const attempt = async () => {
      const r = await runCanaryStep(baseUrl, step, fetchImpl);
      results.push(r);
      log(JSON.stringify({ msg: "canary step", ...r }));
      if (!r.ok) throw new Error(r.message);
      return r;
    };
    try {
      if (deps.synthetics) await deps.synthetics.executeStep(step.name, attempt);
      else await attempt();
    } catch (err) {
      // Keep going: one run should report every failing step. A throw from outside
      // our own step (e.g. Synthetics itself) still fails the run below.
      if (results.length === 0 || results.at(-1)?.name !== step.name) {
        results.push({
          name: step.name,
          url: baseUrl,
          ok: false,
          status: null,
          durationMs: 0,
          failure: "network",
          message: `${step.name}: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
  }
  const result: CanaryRunResult = { ok: results.every((r) => r.ok), steps: results };
  if (!result.ok) throw new CanaryFailedError(result);
  return result;
}

/** Synthetics entry point. */
export async function handler(): Promise<CanaryRunResult> {
  return runCanary(process.env, { synthetics: loadSynthetics() });
}
