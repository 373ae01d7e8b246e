import { CloudWatchQueryError } from "../errors.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * CloudWatch's retention tiers: data points of a period are kept this long. Older
 * ranges can only be read at a coarser period.
 */
export const RETENTION_TIERS = [
  { periodMs: MINUTE, retainedMs: 15 * DAY },
  { periodMs: 5 * MINUTE, retainedMs: 63 * DAY },
  { periodMs: 60 * MINUTE, retainedMs: 455 * DAY },
] as const;

/**
 * The finest period CloudWatch still has for data starting at `startMs`, seen at `nowMs`.
 *
 * @example
 * finestRetainedPeriodMs(now - 20 * 86_400_000, now); // 300_000 (1-minute data is gone after 15 days)
 */
export function finestRetainedPeriodMs(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  for (const tier of RETENTION_TIERS) {
    if (age <= tier.retainedMs) return tier.periodMs;
  }
  throw new CloudWatchQueryError(
    `the range starts ${Math.floor(age / DAY)} days ago; CloudWatch keeps no data older than 455 days: start the range later`,
  );
}

/**
 * Checks a grid step against what CloudWatch retains for the range and returns the
 * GetMetricData `Period` (seconds) to use: the step itself. A step finer than retained is
 * rejected rather than silently coarsened, because callers index results by step.
 *
 * @example
 * choosePeriodSeconds({ startMs: now - 30 * 86_400_000, endMs: now, stepMs: 300_000 }, now); // 300
 */
export function choosePeriodSeconds(
  range: { startMs: number; endMs: number; stepMs: number },
  nowMs: number,
): number {
  const { startMs, endMs, stepMs } = range;
  if (!(stepMs > 0) || stepMs % MINUTE !== 0) {
    throw new CloudWatchQueryError(
      `step ${stepMs} ms is not a whole number of minutes; use a step of 60000 ms or a multiple of it`,
    );
  }
  if (!(endMs > startMs) || (endMs - startMs) % stepMs !== 0) {
    throw new CloudWatchQueryError(
      `range [${new Date(startMs).toISOString()}, ${new Date(endMs).toISOString()}) is not a whole number of ${stepMs / MINUTE}-minute steps; align start and end to the step`,
    );
  }
  const finest = finestRetainedPeriodMs(startMs, nowMs);
  if (stepMs % finest !== 0) {
    throw new CloudWatchQueryError(
      `a ${stepMs / MINUTE}-minute step is finer than CloudWatch retains for data from ${new Date(startMs).toISOString()} (only ${finest / MINUTE}-minute periods are kept that far back); use a step that is a multiple of ${finest} ms or a shorter range`,
    );
  }
  // CloudWatch rounds StartTime down to the period of older tiers; an unaligned start would
  // shift every returned timestamp off the caller's grid.
  if (startMs % finest !== 0) {
    throw new CloudWatchQueryError(
      `range start ${new Date(startMs).toISOString()} is not aligned to ${finest / MINUTE} minutes; align startMs to a multiple of ${finest} ms`,
    );
  }
  return stepMs / 1000;
}
