import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CloudWatchMetricStat } from "../spec/model.ts";
import { MetricQueryError } from "./errors.ts";
import {
  CSV_HEADER,
  type FileSeries,
  MetricsFileError,
  metricsCsvChunks,
  metricsJsonChunks,
  parseMetricsCsv,
  parseMetricsJson,
} from "./file-format.ts";
import { FileMetricsSource } from "./file-source.ts";

const T0 = Date.UTC(2026, 9, 31, 10, 0) / 1000;
const rc = (stat = "Sum", service = "user-service"): CloudWatchMetricStat => ({
  kind: "metric",
  namespace: "AWS/ApplicationELB",
  metricName: "RequestCount",
  dimensions: { Service: service },
  stat,
});

function csv(...rows: string[]): string {
  return `${CSV_HEADER}\n${rows.join("\n")}\n`;
}

function expectFileError(fn: () => unknown, line: number | undefined, text: RegExp): void {
  try {
    fn();
    expect.fail("should have thrown");
  } catch (error) {
    expect(error).toBeInstanceOf(MetricsFileError);
    expect((error as MetricsFileError).line).toBe(line);
    expect((error as Error).message).toMatch(text);
  }
}

describe("metrics file parsing", () => {
  it("reads CSV with ISO or epoch timestamps, comments and any dimension order", () => {
    const f = parseMetricsCsv(
      csv(
        "# exported by hand",
        `${T0},AWS/ApplicationELB,RequestCount,Service=user-service;Zone=a,sum,10`,
        "2026-10-31T10:01:00Z,AWS/ApplicationELB,RequestCount,Zone=a;Service=user-service,Sum,12",
        "2026-10-31T10:05:00+00:00,AWS/ApplicationELB,RequestCount,Zone=a;Service=user-service,Sum,7",
      ),
      "m.csv",
    );
    expect(f.series).toHaveLength(1);
    expect(f.stepMs).toBe(60_000);
    expect([...(f.series[0]?.values ?? [])]).toEqual([10, 12, 7]);
    expect(f.series[0]?.dimensions).toEqual({ Service: "user-service", Zone: "a" });
  });

  it.each([
    [
      "no header",
      "1,2,3\n",
      1,
      /expected the header "timestamp,namespace,metric,dimensions,stat,value"/,
    ],
    ["empty", "", 1, /the file is empty/],
    ["bad value", csv(`${T0},NS,M,Service=a,Sum,ten`), 2, /value "ten" is not a number/],
    [
      "bad time",
      csv("yesterday,NS,M,Service=a,Sum,1"),
      2,
      /timestamp "yesterday" is not a time: write ISO-8601/,
    ],
    ["zoneless ISO", csv("2026-10-31T10:00:00,NS,M,Service=a,Sum,1"), 2, /ISO-8601 with a zone/],
    ["unknown stat", csv(`${T0},NS,M,Service=a,Median,1`), 2, /unknown statistic "Median"/],
    ["bad dimensions", csv(`${T0},NS,M,Service,Sum,1`), 2, /are not Name=value pairs/],
    ["too many fields", csv(`${T0},NS,M,Service=a,b,Sum,1`), 2, /row has 7 fields, expected 6/],
    [
      "duplicate time",
      csv(
        `${T0},NS,M,Service=a,Sum,1`,
        `${T0 + 60},NS,M,Service=b,Sum,1`,
        `${T0},NS,M,Service=a,Sum,2`,
      ),
      4,
      /duplicate timestamp .* \(previous row of this series: line 2\)/,
    ],
    [
      "unsorted",
      csv(`${T0 + 60},NS,M,Service=a,Sum,1`, `${T0},NS,M,Service=a,Sum,2`),
      3,
      /out-of-order timestamp/,
    ],
  ])("rejects a CSV with %s, naming the line", (_name, text, line, message) => {
    expectFileError(() => parseMetricsCsv(text, "bad.csv"), line, message);
  });

  it("reads JSON and names the bad field", () => {
    const f = parseMetricsJson(
      JSON.stringify({
        stepSeconds: 60,
        series: [
          {
            namespace: "NS",
            metricName: "M",
            dimensions: { Service: "a" },
            stat: "p95",
            timestamps: [T0, "2026-10-31T10:01:00Z", T0 + 120],
            values: [0.1, null, 0.3],
          },
        ],
      }),
      "m.json",
    );
    expect(f.series[0]?.stat).toBe("p95");
    expect([...(f.series[0]?.timesMs ?? [])]).toEqual([T0 * 1000, (T0 + 120) * 1000]);
    const bad = (series: unknown, extra: object = {}) =>
      JSON.stringify({ stepSeconds: 60, series: [series], ...extra });
    const base = {
      namespace: "NS",
      metricName: "M",
      dimensions: {},
      stat: "Sum",
      timestamps: [T0],
      values: [1],
    };
    expectFileError(
      () => parseMetricsJson(bad({ ...base, values: ["x"] }), "b.json"),
      undefined,
      /series\[0\]\.values\[0\]: "x" is not a number/,
    );
    expectFileError(
      () => parseMetricsJson(bad({ ...base, stat: "avg" }), "b.json"),
      undefined,
      /series\[0\]\.stat: unknown statistic/,
    );
    expectFileError(
      () => parseMetricsJson(bad({ ...base, timestamps: [T0, T0], values: [1, 2] }), "b.json"),
      undefined,
      /timestamps\[1\]: duplicate time/,
    );
    expectFileError(
      () => parseMetricsJson(bad(base, { stepSeconds: -1 }), "b.json"),
      undefined,
      /stepSeconds: -1 is not a positive/,
    );
    expectFileError(
      () => parseMetricsJson('{\n"series": [1,\n2 3]}', "b.json"),
      3,
      /not valid JSON/,
    );
    expect(() => parseMetricsJson('{\n"series": [\n}', "b.json")).toThrow(/b.json.*not valid JSON/);
  });

  it("round-trips random series through CSV and JSON", () => {
    const seriesArb = fc.uniqueArray(
      fc.record({
        service: fc.constantFrom("a", "b", "c"),
        stat: fc.constantFrom("Sum", "SampleCount", "TC(:0.25)", "p99"),
        values: fc.array(
          fc.oneof(
            fc.constant(Number.NaN),
            // Counts cannot be negative (the reader refuses them), so neither are these.
            fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
          ),
          { minLength: 1, maxLength: 30 },
        ),
      }),
      // A file without a single datapoint is refused as empty (tested below).
      { selector: (s) => `${s.service}|${s.stat}`, minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(seriesArb, (list) => {
        fc.pre(list.some((s) => s.values.some((v) => !Number.isNaN(v))));
        const series: FileSeries[] = list.map((s) => ({
          namespace: "AWS/ApplicationELB",
          metricName: "TargetResponseTime",
          dimensions: { Service: s.service },
          stat: s.stat,
          timesMs: Float64Array.from(s.values, (_, i) => T0 * 1000 + i * 60_000),
          values: Float64Array.from(s.values),
        }));
        for (const parsed of [
          parseMetricsCsv([...metricsCsvChunks(series)].join(""), "r.csv"),
          parseMetricsJson([...metricsJsonChunks(series, 60_000)].join(""), "r.json"),
        ]) {
          const present = series.filter((s) => s.values.some((v) => !Number.isNaN(v)));
          if (parsed.series.length !== present.length) return false;
          for (const [k, s] of present.entries()) {
            const p = parsed.series[k] as FileSeries;
            const keep = [...s.values.keys()].filter((i) => !Number.isNaN(s.values[i] as number));
            if (p.stat !== s.stat || p.values.length !== keep.length) return false;
            if (keep.some((i, j) => p.values[j] !== s.values[i] || p.timesMs[j] !== s.timesMs[i]))
              return false;
          }
        }
        return true;
      }),
    );
  });
});

describe("FileMetricsSource", () => {
  const file = parseMetricsCsv(
    csv(
      ...Array.from(
        { length: 10 },
        (_, i) =>
          `${T0 + 60 * i},AWS/ApplicationELB,RequestCount,Service=user-service,Sum,${i + 1}`,
      ),
      ...Array.from(
        { length: 10 },
        (_, i) =>
          `${T0 + 60 * i},AWS/ApplicationELB,HTTPCode_Target_5XX_Count,Service=user-service,Sum,${i % 2}`,
      ),
      `${T0},AWS/ApplicationELB,TargetResponseTime,Service=user-service,p95,0.2`,
      `${T0 + 60},AWS/ApplicationELB,TargetResponseTime,Service=user-service,p95,0.3`,
    ),
    "fleet.csv",
  );
  const source = new FileMetricsSource(file);
  const start = T0 * 1000;

  it("answers at the file's step, coarser steps, with gaps and expressions", async () => {
    const [a, b, c, e] = await source.fetch(
      [
        { id: "a", query: rc() },
        { id: "b", query: rc("sum") },
        {
          id: "c",
          query: {
            kind: "metric",
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensions: { Service: "user-service" },
            stat: "p95.0",
          },
        },
        {
          id: "e",
          query: {
            kind: "expression",
            expression: "m1 / m2",
            metrics: { m1: { ...rc(), metricName: "HTTPCode_Target_5XX_Count" }, m2: rc() },
          },
        },
      ],
      { startMs: start - 120_000, endMs: start + 180_000, stepMs: 60_000 },
    );
    expect([...(a?.values ?? [])]).toEqual([Number.NaN, Number.NaN, 1, 2, 3]);
    expect(b?.values).toEqual(a?.values);
    expect([...(c?.values ?? [])]).toEqual([Number.NaN, Number.NaN, 0.2, 0.3, Number.NaN]);
    expect([...(e?.values ?? [])]).toEqual([Number.NaN, Number.NaN, 0, 0.5, 0]);
    const [coarse] = await source.fetch([{ id: "a", query: rc() }], {
      startMs: start,
      endMs: start + 600_000,
      stepMs: 300_000,
    });
    expect([...(coarse?.values ?? [])]).toEqual([15, 40]);
  });

  it("refuses what it cannot answer, per query", async () => {
    const range = { startMs: start, endMs: start + 600_000, stepMs: 300_000 };
    const p95 = { ...rc("p95"), metricName: "TargetResponseTime" };
    await expect(source.fetch([{ id: "p", query: p95 }], range)).rejects.toThrow(
      /p95 cannot be re-aggregated from 1m datapoints to 5m/,
    );
    await expect(source.fetch([{ id: "x", query: rc("Sum", "other") }], range)).rejects.toThrow(
      MetricQueryError,
    );
    await expect(source.fetch([{ id: "x", query: rc("Sum", "other") }], range)).rejects.toThrow(
      /no such series; the file has RequestCount with \{"Service":"user-service"\} Sum/,
    );
    await expect(
      source.fetch([{ id: "x", query: rc() }], {
        ...range,
        startMs: start + 30_000,
        endMs: start + 630_000,
      }),
    ).rejects.toThrow(/does not line up/);
    await expect(
      source.fetch([{ id: "x", query: rc() }], {
        ...range,
        stepMs: 90_000,
        endMs: start + 900_000,
      }),
    ).rejects.toThrow(/not a multiple of the file's step 1m/);
  });

  it("loads from disk and explains a missing file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slo-file-source-"));
    try {
      const path = join(dir, "m.json");
      await writeFile(path, [...metricsJsonChunks(file.series, 60_000)].join(""));
      const loaded = await FileMetricsSource.fromFile(path);
      expect(loaded.file.series).toHaveLength(3);
      expect(loaded.startMs).toBe(start);
      expect(loaded.endMs).toBe(start + 600_000);
      expect(loaded.stepMs).toBe(60_000);
      await expect(FileMetricsSource.fromFile(join(dir, "none.csv"))).rejects.toThrow(
        /no such file: .*slo export-metrics/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
