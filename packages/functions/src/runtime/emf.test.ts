import { EmfSink, type MetricPoint } from "@slo/aws";
import { describe, expect, it } from "vitest";
import { parseEmfLine, parseEmfOutput } from "./emf.ts";
import { formatPoints, RecordingSink } from "./recording-sink.ts";

const POINTS: MetricPoint[] = [
  {
    namespace: "Custom/SLO",
    name: "SLI",
    value: 0.9991,
    unit: "None",
    timestampMs: 1_000,
    dimensions: { Service: "a", SLO: "a-availability" },
  },
  {
    namespace: "Custom/SLO",
    name: "BurnRate",
    value: 2.5,
    unit: "None",
    timestampMs: 1_000,
    dimensions: { Service: "a", SLO: "a-availability", Window: "1h" },
  },
  {
    namespace: "Custom/ECS",
    name: "PredictedLoad",
    value: 1200,
    unit: "Count",
    timestampMs: 1_000,
    dimensions: { Service: "a" },
  },
];

describe("parseEmfLine", () => {
  it("round-trips what the EMF sink writes", async () => {
    const lines: string[] = [];
    await new EmfSink({ write: (l) => lines.push(l) }).publish(POINTS);
    const parsed = parseEmfOutput(`${lines.join("\n")}\n{"level":"INFO","message":"a log line"}\n`);
    const key = (p: MetricPoint) =>
      `${p.namespace}|${p.name}|${JSON.stringify(Object.entries(p.dimensions).sort())}|${p.value}`;
    expect(parsed.map(key).sort()).toEqual(POINTS.map(key).sort());
    expect(parsed.find((p) => p.name === "PredictedLoad")).toMatchObject({
      value: 1200,
      unit: "Count",
      timestampMs: 1_000,
    });
  });

  it("ignores lines that are not EMF", () => {
    expect(parseEmfLine('{"level":"INFO"}')).toBeUndefined();
    expect(parseEmfLine("plain text")).toBeUndefined();
    expect(parseEmfLine('{"_aws": broken')).toBeUndefined();
  });
});

describe("RecordingSink", () => {
  it("prints one line per dimension set with windows folded in, and validates like the real sinks", async () => {
    const printed: string[] = [];
    const sink = new RecordingSink((t) => printed.push(t));
    await sink.publish(POINTS);
    expect(printed).toEqual([
      "would publish Custom/SLO Service=a SLO=a-availability @1970-01-01T00:00:01.000Z  SLI=0.9991 BurnRate[1h]=2.5\n",
      "would publish Custom/ECS Service=a @1970-01-01T00:00:01.000Z  PredictedLoad=1200\n",
    ]);
    await expect(
      sink.publish([{ ...(POINTS[0] as MetricPoint), value: Number.NaN }]),
    ).rejects.toThrow(/finite/);
    expect(sink.points).toHaveLength(3);
    expect(formatPoints([])).toEqual([]);
  });
});
