import { SloPlatformError } from "../errors.ts";

/**
 * Thrown by a metrics source when one query cannot be answered (unknown metric, bad
 * statistic, bad expression). `queryId` lets callers such as `collectCounts` drop just
 * that query and still answer the others.
 */
export class MetricQueryError extends SloPlatformError {
  readonly queryId: string;
  constructor(queryId: string, message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "MetricQueryError";
    this.queryId = queryId;
  }
}

/** Thrown when a `TimeRange` is not usable by a source (misaligned, empty, wrong step). */
export class TimeRangeError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "TimeRangeError";
  }
}

/** Number of steps of a range, after checking it is a whole, non-empty grid. */
export function rangeSteps(range: { startMs: number; endMs: number; stepMs: number }): number {
  const { startMs, endMs, stepMs } = range;
  if (!(stepMs > 0) || !Number.isInteger(stepMs)) {
    throw new TimeRangeError(`step ${stepMs} ms is not a positive whole number of milliseconds`);
  }
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || !(endMs > startMs)) {
    throw new TimeRangeError(`time range [${startMs}, ${endMs}) is empty: end must be after start`);
  }
  const span = endMs - startMs;
  if (span % stepMs !== 0) {
    throw new TimeRangeError(
      `time range of ${span} ms is not a whole number of ${stepMs} ms steps: move the start or the end`,
    );
  }
  return span / stepMs;
}
