import { describe, expect, it } from "vitest";
import { loadFleetSlos } from "../../testing/fleet-slos.ts";
import type { SloDefinition } from "../spec/model.ts";
import { applicationSignalsSlos } from "./application-signals.ts";

describe("applicationSignalsSlos", () => {
  it("writes each fleet SLO as a request-based SLO over the same CloudWatch metrics", async () => {
    const out = applicationSignalsSlos(await loadFleetSlos());
    expect(out).toHaveLength(41);
    const availability = out.find((s) => s.slo === "order-service-availability");
    const config = availability?.request?.RequestBasedSliConfig?.RequestBasedSliMetricConfig;
    expect(config?.TotalRequestCountMetric).toEqual([
      {
        Id: "total",
        MetricStat: {
          Metric: {
            Namespace: "AWS/ApplicationELB",
            MetricName: "RequestCount",
            Dimensions: [{ Name: "Service", Value: "order-service" }],
          },
          Period: 60,
          Stat: "Sum",
        },
        ReturnData: true,
      },
    ]);
    const bad =
      config && "BadCountMetric" in config.MonitoredRequestCountMetric
        ? config.MonitoredRequestCountMetric.BadCountMetric
        : [];
    expect(bad.map((q) => [q.Id, q.Expression, q.ReturnData])).toEqual([
      ["m1", undefined, false],
      ["m2", undefined, false],
      ["bad", "FILL(m1, 0) + FILL(m2, 0)", true],
    ]);
    expect(availability?.request?.Goal).toEqual({
      Interval: { RollingInterval: { DurationUnit: "DAY", Duration: 30 } },
      AttainmentGoal: 99.9,
    });
    // Every tier window, long and short: all within Application Signals' 7-day look-back.
    expect(
      availability?.request?.BurnRateConfigurations.map((b) => b.LookBackWindowMinutes),
    ).toEqual([5, 30, 60, 120, 360, 1440, 4320]);
    // Latency: the TC(:0.25) count over SampleCount, as the engine counts it.
    const latency = out.find((s) => s.slo === "order-service-latency-p95")?.request;
    const good =
      latency?.RequestBasedSliConfig?.RequestBasedSliMetricConfig.MonitoredRequestCountMetric;
    expect(good && "GoodCountMetric" in good ? good.GoodCountMetric[0]?.MetricStat?.Stat : "").toBe(
      "TC(:0.25)",
    );
    expect(availability?.cannotExpress.join("\n")).toMatch(/composite alarm/);
    expect(availability?.cannotExpress.join("\n")).toMatch(/min-events 100/);
    expect(availability?.cannotExpress.join("\n")).toMatch(/logical Service dimension/);
  });

  it("writes Timeslices as period-based, calendar goals, exclusions, and lists long windows", async () => {
    const [base] = await loadFleetSlos();
    const slo: SloDefinition = {
      ...(base as SloDefinition),
      name: "sliced",
      indicator: {
        type: "threshold",
        metric: {
          kind: "metric",
          namespace: "AWS/ApplicationELB",
          metricName: "TargetResponseTime",
          dimensions: { LoadBalancer: "app/x/1" },
          stat: "p99",
        },
      },
      budgetingMethod: "Timeslices",
      objectives: [{ name: "o", target: 0.99, op: "lte", value: 0.5, timeSliceWindowMs: 300_000 }],
      timeWindow: {
        type: "calendar",
        unit: "Quarter",
        count: 1,
        startTimeMs: Date.UTC(2026, 0, 1),
        timeZone: "UTC",
      },
      alertTiers: [
        {
          name: "t",
          severity: "ticket",
          longWindowMs: 14 * 86_400_000,
          shortWindowMs: 86_400_000,
          budgetFraction: 0.1,
          burnRateThreshold: 0.6,
        },
      ],
      exclusions: [
        { startMs: Date.UTC(2026, 5, 1), endMs: Date.UTC(2026, 5, 1, 2), reason: "migration" },
      ],
    };
    const [s] = applicationSignalsSlos([slo]);
    expect(s?.request?.SliConfig).toMatchObject({
      SliMetricConfig: { PeriodSeconds: 300 },
      MetricThreshold: 0.5,
      ComparisonOperator: "LessThanOrEqualTo",
    });
    expect(s?.request?.Goal.Interval).toEqual({
      CalendarInterval: {
        StartTime: "2026-01-01T00:00:00.000Z",
        DurationUnit: "MONTH",
        Duration: 3,
      },
    });
    expect(s?.request?.BurnRateConfigurations).toEqual([{ LookBackWindowMinutes: 1440 }]);
    expect(s?.cannotExpress.join("\n")).toMatch(/20160 min/);
    expect(s?.exclusionWindows).toEqual([
      {
        Window: { DurationUnit: "MINUTE", Duration: 120 },
        StartTime: "2026-06-01T00:00:00.000Z",
        Reason: "migration",
      },
    ]);
  });
});
