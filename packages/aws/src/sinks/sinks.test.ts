import {
  CloudWatchClient,
  PutMetricDataCommand,
  type PutMetricDataCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { SinkValidationError } from "../errors.ts";
import { EmfSink } from "./emf.ts";
import { PutMetricDataSink } from "./put-metric-data.ts";
import type { MetricPoint } from "./types.ts";

const STEP_END = Date.UTC(2026, 10, 20, 12, 5);
const cw = mockClient(CloudWatchClient);
beforeEach(() => cw.reset());

function points(
  services: number,
  at = STEP_END,
  value = (i: number) => 0.99 + i / 1e6,
): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (let s = 0; s < services; s++) {
    for (const [k, name] of ["SLI", "Compliance", "ErrorBudgetRemaining", "AlertState"].entries()) {
      out.push({
        namespace: "Custom/SLO",
        name,
        value: value(s * 10 + k),
        unit: "None",
        timestampMs: at,
        dimensions: { Service: `svc-${s}`, SLO: `svc-${s}-availability` },
      });
    }
    for (const w of ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]) {
      out.push({
        namespace: "Custom/SLO",
        name: "BurnRate",
        value: 1.5,
        unit: "None",
        timestampMs: at,
        dimensions: { Service: `svc-${s}`, SLO: `svc-${s}-availability`, Window: w },
      });
    }
  }
  return out;
}

/** CloudWatch's view of published samples: per datapoint identity, Average and Maximum. */
function aggregate(all: Array<{ key: string; value: number }>) {
  const m = new Map<string, number[]>();
  for (const p of all) m.set(p.key, [...(m.get(p.key) ?? []), p.value]);
  return new Map(
    [...m].map(([k, v]) => [
      k,
      { avg: v.reduce((a, b) => a + b, 0) / v.length, max: Math.max(...v) },
    ]),
  );
}

describe("EmfSink", () => {
  it("writes Powertools-shaped EMF with at most 100 metrics per blob", async () => {
    const lines: string[] = [];
    const many: MetricPoint[] = Array.from({ length: 250 }, (_, i) => ({
      namespace: "Custom/ECS",
      name: `M${i}`,
      value: i,
      unit: "Count",
      timestampMs: STEP_END,
      dimensions: { Service: "order-service" },
    }));
    const res = await new EmfSink({ write: (l) => lines.push(l) }).publish(many);
    expect(res).toEqual({ published: 250, requests: 3 });
    const blobs = lines.map((l) => JSON.parse(l));
    expect(blobs.map((b) => b._aws.CloudWatchMetrics[0].Metrics.length)).toEqual([100, 100, 50]);
    expect(blobs[0]).toMatchObject({
      _aws: {
        Timestamp: STEP_END,
        CloudWatchMetrics: [{ Namespace: "Custom/ECS", Dimensions: [["Service"]] }],
      },
      Service: "order-service",
      M0: 0,
    });
    expect(blobs[0]._aws.CloudWatchMetrics[0].Metrics[0]).toEqual({
      Name: "M0",
      Unit: "Count",
      StorageResolution: 60,
    });
  });

  it("groups by dimension values so each blob's dimensions are exact", async () => {
    const lines: string[] = [];
    await new EmfSink({ write: (l) => lines.push(l) }).publish(points(2));
    const blobs = lines.map((l) => JSON.parse(l));
    // Per service: one blob for SLO-level metrics + one per burn-rate window.
    expect(blobs).toHaveLength(2 * (1 + 7));
    const br = blobs.find((b) => b.Window === "1h" && b.Service === "svc-1");
    expect(br._aws.CloudWatchMetrics[0].Dimensions).toEqual([["SLO", "Service", "Window"]]);
    expect(br.BurnRate).toBe(1.5);
  });

  it("is idempotent: a rerun for the same step emits the same datapoints (same timestamp, same value)", async () => {
    const first: string[] = [];
    const rerun: string[] = [];
    await new EmfSink({ write: (l) => first.push(l) }).publish(points(3));
    await new EmfSink({ write: (l) => rerun.push(l) }).publish(points(3));
    expect(rerun).toEqual(first);
    const samples = [...first, ...rerun].flatMap((l) => {
      const b = JSON.parse(l);
      return b._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => ({
        key: `${b._aws.Timestamp}|${b.Service}|${b.SLO}|${b.Window ?? ""}|${m.Name}`,
        value: b[m.Name],
      }));
    });
    const once = aggregate(samples.slice(0, samples.length / 2));
    const twice = aggregate(samples);
    expect(twice.size).toBe(once.size);
    expect(twice).toEqual(once);
  });

  it("rejects NaN and duplicates before writing anything", async () => {
    const lines: string[] = [];
    const sink = new EmfSink({ write: (l) => lines.push(l) });
    const p = points(1);
    await expect(
      sink.publish([...p, { ...(p[0] as MetricPoint), value: Number.NaN }]),
    ).rejects.toThrow(SinkValidationError);
    await expect(sink.publish([...p, p[0] as MetricPoint])).rejects.toThrow(/appears twice/);
    expect(lines).toHaveLength(0);
  });
});

describe("PutMetricDataSink", () => {
  const sink = () =>
    new PutMetricDataSink({ client: new CloudWatchClient({ region: "eu-west-1" }) });
  const sent = (): PutMetricDataCommandInput[] =>
    cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);

  it("splits at 1000 metrics per call and stamps every datum with the step time", async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const pts = points(100); // 1,100 points
    await expect(sink().publish(pts)).resolves.toEqual({ published: 1100, requests: 2 });
    expect(sent().map((c) => c.MetricData?.length)).toEqual([1000, 100]);
    for (const d of sent().flatMap((c) => c.MetricData ?? [])) {
      expect(d.Timestamp).toEqual(new Date(STEP_END));
      expect(d.StorageResolution).toBe(60);
    }
  });

  it("splits by payload size under 1 MB", async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const big: MetricPoint[] = Array.from({ length: 900 }, (_, i) => ({
      namespace: "Custom/SLO",
      name: "SLI",
      value: 1,
      unit: "None",
      timestampMs: STEP_END,
      dimensions: Object.fromEntries(
        Array.from({ length: 30 }, (_, d) => [`D${d}`, `${i}-${"x".repeat(40)}`]),
      ),
    }));
    await sink().publish(big);
    const calls = sent();
    expect(calls.length).toBeGreaterThan(1);
    for (const c of calls) expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(1_000_000);
    expect(calls.reduce((n, c) => n + (c.MetricData?.length ?? 0), 0)).toBe(900);
  });

  it("sends identical requests on a rerun of the same period", async () => {
    cw.on(PutMetricDataCommand).resolves({});
    await sink().publish(points(2));
    await sink().publish(points(2));
    const [a, b] = sent();
    expect(b).toEqual(a);
  });

  it("rejects a metric with more than 30 dimensions", async () => {
    const p = {
      ...(points(1)[0] as MetricPoint),
      dimensions: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`D${i}`, "v"])),
    };
    await expect(sink().publish([p])).rejects.toThrow(/31 dimensions/);
    expect(sent()).toHaveLength(0);
  });

  it("says how much was published when a later call fails", async () => {
    cw.on(PutMetricDataCommand)
      .resolvesOnce({})
      .rejects(Object.assign(new Error("boom"), { name: "InternalServiceError" }));
    await expect(sink().publish(points(100))).rejects.toMatchObject({
      name: "PublishError",
      published: 1000,
    });
  });
});
