import { describe, expect, it } from "vitest";
import { loadFleetSlos, serviceSlos } from "../../testing/fleet-slos.ts";
import type { CloudWatchMetricStat, SloDefinition } from "../spec/model.ts";
import { answerQuery } from "./answer.ts";
import { collectCounts } from "./collect.ts";
import { MetricQueryError } from "./errors.ts";
import type { MetricQuery, MetricSeries, MetricsSource, TimeRange } from "./source.ts";

const NaN_ = Number.NaN;
const RANGE: TimeRange = { startMs: 0, endMs: 5 * 60_000, stepMs: 60_000 };

/** A source backed by literal per-metric arrays, with hooks to misbehave. */
class FakeSource implements MetricsSource {
  readonly name = "fake";
  calls = 0;
  readonly data: Record<string, number[]>;
  readonly partial: Set<string>;
  readonly omit: Set<string>;
  constructor(data: Record<string, number[]>, opts: { partial?: string[]; omit?: string[] } = {}) {
    this.data = data;
    this.partial = new Set(opts.partial);
    this.omit = new Set(opts.omit);
  }
  async fetch(queries: readonly MetricQuery[], range: TimeRange): Promise<MetricSeries[]> {
    this.calls++;
    const n = (range.endMs - range.startMs) / range.stepMs;
    const key = (m: CloudWatchMetricStat) => `${m.dimensions.Service}/${m.metricName}/${m.stat}`;
    return queries
      .filter((q) => q.query.kind !== "metric" || !this.omit.has(key(q.query)))
      .map((q) => ({
        id: q.id,
        values: answerQuery(q, n, (m) => {
          const v = this.data[key(m)];
          if (v === undefined) throw new MetricQueryError(q.id, `no metric ${key(m)}`);
          return Float64Array.from(v);
        }),
        complete: !(q.query.kind === "metric" && this.partial.has(key(q.query))),
      }));
  }
}

const svc = "user-service";
const d = (metric: string, stat: string, values: number[]) => ({
  [`${svc}/${metric}/${stat}`]: values,
});
const [availability, p95, , errorRate] = serviceSlos(await loadFleetSlos(), svc);

const fullData = {
  ...d("RequestCount", "Sum", [100, NaN_, 100, 50, 10]),
  ...d("HTTPCode_Target_5XX_Count", "Sum", [1, NaN_, NaN_, 60, 0]),
  ...d("TargetConnectionErrorCount", "Sum", [1, NaN_, 0, 0, 0]),
  ...d("TargetResponseTime", "TC(:0.25)", [90, NaN_, 99, 50, 10]),
  ...d("TargetResponseTime", "SampleCount", [98, NaN_, 100, 50, 10]),
  ...d("TargetResponseTime", "p95", [0.2, NaN_, 0.3, 0.25, 0.1]),
};

const arr = (a: Float64Array) => [...a];

describe("collectCounts", () => {
  it("assembles bad/total, expression and threshold counts in one fetch", async () => {
    const source = new FakeSource(fullData);
    const r = await collectCounts([availability, p95, errorRate], source, RANGE);
    expect(source.calls).toBe(1);
    expect(r.failures.size).toBe(0);
    const [avail] = r.counts.get(`${svc}-availability`) ?? [];
    expect(arr(avail?.total ?? new Float64Array())).toEqual([100, NaN_, 100, 50, 10]);
    // 5xx + conn errors; step 2 has no 5xx datapoint -> m1 + m2 is no data -> bad 0;
    // step 3 has 60 bad of 50 total -> clamped.
    expect(arr(avail?.good ?? new Float64Array())).toEqual([98, NaN_, 100, 0, 10]);
    expect(r.warnings.get(`${svc}-availability`)?.join("\n")).toMatch(
      /1 step\(s\) had more good\/bad than total/,
    );
    const [lat] = r.counts.get(`${svc}-latency-p95`) ?? [];
    expect(arr(lat?.good ?? new Float64Array())).toEqual([90, NaN_, 99, 50, 10]);
    expect(arr(lat?.total ?? new Float64Array())).toEqual([98, NaN_, 100, 50, 10]);
    const [err] = r.counts.get(`${svc}-error-rate`) ?? [];
    expect(arr(err?.good ?? new Float64Array())).toEqual([99, NaN_, 100, 0, 10]);
    expect(r.warnings.get(`${svc}-error-rate`)?.join("\n")).toMatch(
      /1 step\(s\) had a total but no bad datapoint/,
    );
    expect(r.counts.get(`${svc}-error-rate`)?.[0]?.startMs).toBe(0);
  });

  it("assembles a good/total ratio, clamping good above total", async () => {
    if (errorRate.indicator.type !== "ratio") throw new Error("fixture");
    const goodTotal: SloDefinition = {
      ...errorRate,
      name: "good-total",
      indicator: {
        type: "ratio",
        counter: true,
        good: {
          ...errorRate.indicator.total,
          metricName: "HTTPCode_Target_2XX_Count",
        } as CloudWatchMetricStat,
        total: errorRate.indicator.total,
      },
    };
    const data = { ...fullData, ...d("HTTPCode_Target_2XX_Count", "Sum", [95, 3, NaN_, 70, 10]) };
    const r = await collectCounts([goodTotal], new FakeSource(data), RANGE);
    const [c] = r.counts.get("good-total") ?? [];
    expect(arr(c?.good ?? new Float64Array())).toEqual([95, NaN_, 0, 50, 10]);
    expect(r.warnings.get("good-total")).toEqual([
      'objective "error-rate": 1 step(s) had more good/bad than total events; clamped to the total',
      'objective "error-rate": 1 step(s) had a total but no good datapoint; counted as 0',
    ]);
  });

  it("in strict mode fails an SLO on impossible counts instead of clamping them", async () => {
    for (const [what, data, message] of [
      [
        "bad above total",
        { ...fullData, ...d("HTTPCode_Target_5XX_Count", "Sum", [1, NaN_, 500, 0, 0]) },
        /impossible counts at 1970-01-01T00:02:00.000Z: bad 500, total 100/,
      ],
      [
        "a negative bad count",
        { ...fullData, ...d("HTTPCode_Target_5XX_Count", "Sum", [-7, NaN_, 0, 0, 0]) },
        /impossible counts at 1970-01-01T00:00:00.000Z: bad -6, total 100/,
      ],
      [
        "a negative total",
        { ...fullData, ...d("RequestCount", "Sum", [-100, NaN_, 100, 50, 10]) },
        /impossible counts at 1970-01-01T00:00:00.000Z: bad 2, total -100/,
      ],
      [
        "an infinite total",
        { ...fullData, ...d("RequestCount", "Sum", [100, NaN_, Number.POSITIVE_INFINITY, 50, 10]) },
        /total Infinity/,
      ],
    ] as const) {
      const strict = await collectCounts([availability], new FakeSource(data), RANGE, {
        strict: true,
      });
      expect(strict.counts.has(availability.name), what).toBe(false);
      expect(strict.failures.get(availability.name), what).toMatch(message);
      // Without strict (CloudWatch's own skew) the same data is clamped with a warning.
      const lenient = await collectCounts([availability], new FakeSource(data), RANGE);
      expect(lenient.counts.has(availability.name), what).toBe(true);
    }
  });

  it("turns a threshold SLI into one slice per step under Timeslices", async () => {
    const sliced: SloDefinition = { ...p95, name: "sliced", budgetingMethod: "Timeslices" };
    const r = await collectCounts([sliced], new FakeSource(fullData), RANGE);
    const [c] = r.counts.get("sliced") ?? [];
    expect(arr(c?.good ?? new Float64Array())).toEqual([1, NaN_, 0, 1, 1]);
    expect(arr(c?.total ?? new Float64Array())).toEqual([1, NaN_, 1, 1, 1]);
    const lt: SloDefinition = {
      ...sliced,
      name: "lt",
      objectives: [{ name: "o", target: 0.9, op: "lt", value: 0.25 }],
    };
    const r2 = await collectCounts([lt], new FakeSource(fullData), RANGE);
    expect(arr(r2.counts.get("lt")?.[0]?.good ?? new Float64Array())).toEqual([1, NaN_, 0, 0, 1]);
  });

  it("isolates a rejected query, an omitted series and partial data per SLO", async () => {
    const { [`${svc}/TargetResponseTime/TC(:0.25)`]: _dropped, ...noTc } = fullData;
    const source = new FakeSource(noTc, { partial: [`${svc}/RequestCount/Sum`] });
    const r = await collectCounts([availability, p95, errorRate], source, RANGE);
    expect(r.failures.get(`${svc}-latency-p95`)).toMatch(
      /no metric user-service\/TargetResponseTime\/TC\(:0.25\)/,
    );
    expect(r.counts.has(`${svc}-availability`)).toBe(true);
    expect(r.counts.has(`${svc}-error-rate`)).toBe(true);
    expect(r.incomplete.has(`${svc}-error-rate`)).toBe(true);
    expect(r.warnings.get(`${svc}-error-rate`)?.join()).toMatch(
      /partial data for AWS\/ApplicationELB RequestCount/,
    );

    const omitting = new FakeSource(fullData, { omit: [`${svc}/TargetResponseTime/SampleCount`] });
    const r2 = await collectCounts([availability, p95], omitting, RANGE);
    expect(r2.failures.get(`${svc}-latency-p95`)).toMatch(
      /fake returned no series for AWS\/ApplicationELB TargetResponseTime/,
    );
    expect(r2.counts.has(`${svc}-availability`)).toBe(true);
  });

  it("reports planning failures and rethrows source-wide failures", async () => {
    const unsupported: SloDefinition = {
      ...errorRate,
      name: "elsewhere",
      indicator: { type: "threshold", metric: { kind: "unsupported", type: "Datadog", spec: {} } },
      objectives: [{ name: "o", target: 0.9, op: "lte", value: 1 }],
    };
    const r = await collectCounts([unsupported, errorRate], new FakeSource(fullData), RANGE);
    expect(r.failures.get("elsewhere")).toMatch(
      /slos\/user-service\.yaml:\d+: SLO "elsewhere": .*Datadog/,
    );
    expect(r.counts.has(`${svc}-error-rate`)).toBe(true);
    const down: MetricsSource = {
      name: "down",
      fetch: async () => {
        throw new Error("network unreachable");
      },
    };
    await expect(collectCounts([errorRate], down, RANGE)).rejects.toThrow("network unreachable");
  });
});
