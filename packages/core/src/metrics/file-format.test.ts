import { describe, expect, it } from "vitest";
import { SizeLimitError } from "../limits.ts";
import { CSV_HEADER, MetricsFileError, parseMetricsCsv, parseMetricsJson } from "./file-format.ts";

const csv = (...rows: string[]) => `${CSV_HEADER}\n${rows.join("\n")}\n`;
const row = (t: string, v: number | string, stat = "Sum") =>
  `${t},AWS/ApplicationELB,RequestCount,Service=a,${stat},${v}`;

describe("metrics files refuse impossible data", () => {
  it.each([
    ["month 13", csv(row("2026-13-01T00:00:00Z", 1)), /m.csv:2: .*month 13 does not exist/],
    ["30 February", csv(row("2026-02-30T00:00:00Z", 1)), /m.csv:2: .*day 30 does not exist/],
    ["hour 25", csv(row("2026-01-01T25:00:00Z", 1)), /m.csv:2: .*hour 25/],
    ["a zone-less time", csv(row("2026-01-01T00:00:00", 1)), /m.csv:2: .*no time zone/],
    ["a negative count", csv(row("2026-01-01T00:00:00Z", -5)), /m.csv:2: value -5 is negative/],
    ["a header and no rows", csv(), /m.csv: no datapoints/],
    ["Infinity", csv(row("2026-01-01T00:00:00Z", "Infinity")), /m.csv:2: value "Infinity"/],
  ])("%s", (_, text, message) => {
    expect(() => parseMetricsCsv(text, "m.csv")).toThrow(MetricsFileError);
    expect(() => parseMetricsCsv(text, "m.csv")).toThrow(message);
  });

  it("keeps negative values of statistics that are not counts", () => {
    const f = parseMetricsCsv(csv(row("2026-01-01T00:00:00Z", -1, "Minimum")), "m.csv");
    expect(f.series[0]?.values[0]).toBe(-1);
  });

  it("refuses all-null JSON as empty", () => {
    const doc = {
      series: [
        {
          namespace: "N",
          metricName: "M",
          stat: "Sum",
          timestamps: [1793448000, 1793448060],
          values: [null, null],
        },
      ],
    };
    expect(() => parseMetricsJson(JSON.stringify(doc), "m.json")).toThrow(/m.json: no datapoints/);
  });

  it("names an irregular step and reads it only with resample", () => {
    const text = csv(
      row("2026-01-01T00:00:00Z", 1),
      row("2026-01-01T00:01:00Z", 1),
      row("2026-01-01T00:02:00Z", 1),
      row("2026-01-01T00:03:00.500Z", 1),
    );
    expect(() => parseMetricsCsv(text, "m.csv")).toThrow(
      /irregular step at m.csv:5: 60.5 s since the previous datapoint .* not a multiple of the 60 s step inferred .* --resample/,
    );
    expect(parseMetricsCsv(text, "m.csv", { resample: true }).stepMs).toBe(500);
  });

  it("reads sparse series on their CloudWatch period without calling them irregular", () => {
    const text = csv(
      row("2026-01-01T00:00:00Z", 1),
      row("2026-01-01T00:02:00Z", 1),
      row("2026-01-01T00:05:00Z", 1),
    );
    expect(parseMetricsCsv(text, "m.csv").stepMs).toBe(60_000);
  });

  it("refuses a 1970-to-9999 span before allocating it, naming both ends and the cap", () => {
    const text = csv(
      row("1970-01-01T00:00:00Z", 1),
      row("1970-01-01T00:01:00Z", 1),
      row("9999-12-31T23:59:00Z", 1),
    );
    expect(() => parseMetricsCsv(text, "m.csv")).toThrow(SizeLimitError);
    expect(() => parseMetricsCsv(text, "m.csv")).toThrow(
      /m.csv: 1970-01-01T00:00:00.000Z to \+?0*10000-01-01T00:00:00.000Z .* over the cap of 50,000,000/,
    );
  });
});
