/**
 * Size limits checked BEFORE memory is committed: every dense series in the platform is
 * a Float64Array of one value per step, so a step count is a byte count (8 bytes a step,
 * often several arrays at once). 50 M steps is 400 MB per array: past that a hostile or
 * mistaken input (1970-to-9999 span, 1 ms step, a window of centuries) would take the
 * process to gigabytes and minutes before it failed, so it is refused up front instead.
 */
import { type ErrorKind, SloPlatformError } from "./errors.ts";

/** Default cap on the steps of one dense series (override with `--max-steps` in the CLI). */
export const DEFAULT_MAX_STEPS = 50_000_000;

/** Thrown when an input would need more steps than the cap; names what and the cap. */
export class SizeLimitError extends SloPlatformError {
  readonly steps: number;
  readonly maxSteps: number;
  constructor(
    message: string,
    steps: number,
    maxSteps: number,
    kind: ErrorKind = "input",
    options?: ErrorOptions,
  ) {
    super(message, kind, options);
    this.name = "SizeLimitError";
    this.steps = steps;
    this.maxSteps = maxSteps;
  }
}

const iso = (ms: number) => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
};

/**
 * Refuses a span that would be more than `maxSteps` steps of `stepMs`.
 *
 * @param what - names the input, e.g. `metrics.csv` or `--horizon 100000w`.
 * @throws SizeLimitError naming `what`, both ends of the span, the step count and the cap.
 * @example
 * checkSpanSteps("trace.csv", startMs, endMs, 60_000); // throws past 50 M steps
 */
export function checkSpanSteps(
  what: string,
  startMs: number,
  endMs: number,
  stepMs: number,
  maxSteps: number = DEFAULT_MAX_STEPS,
): number {
  const steps = Math.ceil((endMs - startMs) / stepMs);
  if (!(steps <= maxSteps)) {
    throw new SizeLimitError(
      `${what}: ${iso(startMs)} to ${iso(endMs)} at a ${stepMs / 1000} s step is ${Number.isFinite(steps) ? steps.toLocaleString("en-US") : steps} steps, over the cap of ${maxSteps.toLocaleString("en-US")}: shorten the span, use a coarser step, or raise the cap with --max-steps`,
      steps,
      maxSteps,
      "input",
    );
  }
  return steps;
}

/**
 * Refuses a count of steps over the cap that a flag asked for (a usage error: the
 * flag's value is what to change).
 *
 * @example
 * checkSteps("--horizon 100000w", 201_600_000); // throws
 */
export function checkSteps(what: string, steps: number, maxSteps = DEFAULT_MAX_STEPS): number {
  if (!(steps <= maxSteps)) {
    throw new SizeLimitError(
      `${what} needs ${Number.isFinite(steps) ? steps.toLocaleString("en-US") : steps} steps, over the cap of ${maxSteps.toLocaleString("en-US")}: ask for less, or raise the cap with --max-steps`,
      steps,
      maxSteps,
      "usage",
    );
  }
  return steps;
}
