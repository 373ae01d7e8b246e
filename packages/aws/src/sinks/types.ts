import { SinkValidationError } from "../errors.ts";

/** CloudWatch units this platform publishes. */
export type MetricUnit = "None" | "Count" | "Percent" | "Seconds" | "Milliseconds" | "Count/Second";

/**
 * One datapoint to publish. `timestampMs` is the evaluated step's time (never the wall
 * clock): a rerun for the same period then lands on the same datapoint timestamp.
 */
export interface MetricPoint {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly unit: MetricUnit;
  readonly timestampMs: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface PublishResult {
  /** Datapoints handed to CloudWatch (or written as EMF). */
  readonly published: number;
  /** API calls (PutMetricData) or EMF blobs written. */
  readonly requests: number;
}

/** Where computed metrics go: EMF log lines in Lambda, PutMetricData elsewhere. */
export interface MetricSink {
  readonly name: string;
  publish(points: readonly MetricPoint[]): Promise<PublishResult>;
}

/** CloudWatch allows at most 30 dimensions per metric. */
export const MAX_DIMENSIONS = 30;

/**
 * Rejects a batch before anything is published: non-finite values, too many dimensions,
 * empty names, and the same metric/dimensions/timestamp twice (which CloudWatch would
 * count as two samples).
 */
export function validatePoints(points: readonly MetricPoint[]): void {
  const seen = new Set<string>();
  for (const p of points) {
    const where = `${p.namespace} ${p.name} ${JSON.stringify(p.dimensions)}`;
    if (!p.namespace || !p.name) {
      throw new SinkValidationError(`metric ${where} has an empty namespace or name; set both`);
    }
    if (!Number.isFinite(p.value)) {
      throw new SinkValidationError(
        `metric ${where} has value ${p.value}; CloudWatch only stores finite numbers: skip the point when there is no data`,
      );
    }
    if (!Number.isFinite(p.timestampMs)) {
      throw new SinkValidationError(
        `metric ${where} has no valid timestamp; pass the evaluated step's time`,
      );
    }
    const dims = Object.keys(p.dimensions);
    if (dims.length > MAX_DIMENSIONS) {
      throw new SinkValidationError(
        `metric ${where} has ${dims.length} dimensions; CloudWatch allows ${MAX_DIMENSIONS}: drop some`,
      );
    }
    const key = pointKey(p);
    if (seen.has(key)) {
      throw new SinkValidationError(
        `metric ${where} at ${new Date(p.timestampMs).toISOString()} appears twice in one publish; publish each datapoint once`,
      );
    }
    seen.add(key);
  }
}

/** Identity of a datapoint: namespace, name, sorted dimensions, timestamp. */
export function pointKey(p: MetricPoint): string {
  const dims = Object.keys(p.dimensions)
    .sort()
    .map((k) => `${k}=${p.dimensions[k]}`)
    .join(",");
  return `${p.namespace}|${p.name}|${dims}|${p.timestampMs}`;
}
