import {
  type CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { callAws } from "../budget.ts";
import { PublishError } from "../errors.ts";
import type { MetricPoint, MetricSink, PublishResult } from "./types.ts";
import { validatePoints } from "./types.ts";

/** PutMetricData: at most 1000 `MetricData` entries per call. */
export const PUT_MAX_METRICS = 1000;
/** PutMetricData: at most 1 MB of request payload. Kept below with room for the envelope. */
export const PUT_MAX_BYTES = 1_000_000;
const ENVELOPE_BYTES = 1_024;

export interface PutMetricDataSinkOptions {
  readonly client: CloudWatchClient;
  readonly signal?: AbortSignal;
}

/**
 * Publishes with PutMetricData, for callers outside Lambda (CLI, containers). Splits by
 * namespace and into calls of at most 1000 metrics and ~1 MB. Each datum carries the
 * evaluated step's `Timestamp` and `StorageResolution: 60`, so a rerun writes the same
 * datapoint again instead of a new one at the current time.
 *
 * @example
 * const sink = new PutMetricDataSink({ client: createCloudWatchClient() });
 * await sink.publish(points); // { published: points.length, requests: 1 }
 */
export class PutMetricDataSink implements MetricSink {
  readonly name = "put-metric-data";
  readonly #opts: PutMetricDataSinkOptions;

  constructor(opts: PutMetricDataSinkOptions) {
    this.#opts = opts;
  }

  async publish(points: readonly MetricPoint[]): Promise<PublishResult> {
    validatePoints(points);
    const { client, signal } = this.#opts;
    const calls = planPutCalls(points);
    let published = 0;
    for (const call of calls) {
      try {
        await callAws(
          "cloudwatch:PutMetricData",
          () =>
            client.send(
              new PutMetricDataCommand({ Namespace: call.namespace, MetricData: call.data }),
              {
                abortSignal: signal,
              },
            ),
          signal,
        );
      } catch (err) {
        throw new PublishError(
          `publishing stopped after ${published} of ${points.length} datapoints: ${(err as Error).message}; rerunning the same period is safe (same timestamps)`,
          published,
          { cause: err },
        );
      }
      published += call.data.length;
    }
    return { published, requests: calls.length };
  }
}

/** Groups points into PutMetricData calls within the count and size limits (pure). */
export function planPutCalls(
  points: readonly MetricPoint[],
): Array<{ namespace: string; data: MetricDatum[] }> {
  const byNs = new Map<string, MetricPoint[]>();
  for (const p of points) {
    const list = byNs.get(p.namespace);
    if (list) list.push(p);
    else byNs.set(p.namespace, [p]);
  }
  const calls: Array<{ namespace: string; data: MetricDatum[] }> = [];
  for (const [namespace, list] of byNs) {
    let data: MetricDatum[] = [];
    let bytes = ENVELOPE_BYTES + namespace.length;
    for (const p of list) {
      const datum: MetricDatum = {
        MetricName: p.name,
        Dimensions: Object.keys(p.dimensions)
          .sort()
          .map((Name) => ({ Name, Value: p.dimensions[Name] as string })),
        Timestamp: new Date(p.timestampMs),
        Value: p.value,
        Unit: p.unit,
        StorageResolution: 60,
      };
      const size = Buffer.byteLength(JSON.stringify(datum)) + 1;
      if (data.length > 0 && (data.length >= PUT_MAX_METRICS || bytes + size > PUT_MAX_BYTES)) {
        calls.push({ namespace, data });
        data = [];
        bytes = ENVELOPE_BYTES + namespace.length;
      }
      data.push(datum);
      bytes += size;
    }
    if (data.length > 0) calls.push({ namespace, data });
  }
  return calls;
}
