import type { LoadPlan, RequestSample } from "@slo/core/loadtest";
import autocannon from "autocannon";

/** Seconds before the generator gives up on a request and counts a timeout. */
export const REQUEST_TIMEOUT_S = 10;

/** What a run recorded, and how far it got. */
export interface DriveResult {
  readonly samples: RequestSample[];
  /** Run time when it ended: the plan's length, or less when aborted. */
  readonly elapsedMs: number;
  readonly interrupted: boolean;
}

/**
 * Connections for a rate: enough that a request taking up to ~100 ms does not hold the
 * rate back, few enough not to open hundreds of sockets for a trickle.
 */
export function connectionsFor(rps: number): number {
  return Math.min(500, Math.max(2, Math.ceil(rps / 10)));
}

/**
 * Offers a plan's load with autocannon, one constant-rate run per slice (its
 * `overallRate`), and records every request's end time, latency and outcome. `signal`
 * stops the current slice and the run (Ctrl-C): what was recorded so far comes back
 * with `interrupted`. `onSlice` is called as each slice starts (the task sampler).
 *
 * @example
 * const { samples, elapsedMs } = await drivePlan("http://127.0.0.1:8080/api/items", plan, {});
 */
export async function drivePlan(
  url: string,
  plan: Pick<LoadPlan, "intervals" | "durationMs">,
  options: { signal?: AbortSignal; onSlice?: (index: number, atMs: number) => void },
): Promise<DriveResult> {
  const samples: RequestSample[] = [];
  const started = performance.now();
  const now = () => performance.now() - started;
  const { signal } = options;
  for (const slice of plan.intervals) {
    if (signal?.aborted) break;
    // Slices start on the plan's clock, so a slow slice does not shift the ones after it.
    const wait = slice.startMs - now();
    if (wait > 0) await sleep(wait, signal);
    if (signal?.aborted) break;
    options.onSlice?.(slice.index, now());
    const remaining = slice.startMs + slice.durationMs - now();
    if (slice.rps === 0 || remaining < 1) {
      await sleep(Math.max(0, remaining), signal);
      continue;
    }
    await new Promise<void>((resolve, reject) => {
      const instance = autocannon(
        {
          url,
          connections: connectionsFor(slice.rps),
          overallRate: slice.rps,
          duration: remaining / 1000,
          timeout: REQUEST_TIMEOUT_S,
        },
        (error) => {
          signal?.removeEventListener("abort", stop);
          if (error) reject(error);
          else resolve();
        },
      );
      const stop = () => instance.stop();
      signal?.addEventListener("abort", stop, { once: true });
      instance.on("response", (_client, statusCode, _bytes, responseTime) => {
        samples.push({ atMs: now(), latencyMs: responseTime, outcome: statusCode });
      });
      instance.on("reqError", (error: Error) => {
        const timeout = /timed out/.test(error.message);
        samples.push({
          atMs: now(),
          latencyMs: timeout ? REQUEST_TIMEOUT_S * 1000 : 0,
          outcome: timeout ? "timeout" : "connection",
        });
      });
    });
  }
  const interrupted = signal?.aborted ?? false;
  return {
    samples,
    elapsedMs: interrupted ? Math.min(now(), plan.durationMs) : plan.durationMs,
    interrupted,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
