import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORECAST_FEED, predictedLoadSeries } from "./forecast-series.ts";
import {
  albResourceLabel,
  ecsMetricDimensions,
  forecastTrackingPolicy,
  PREDICTED_LOAD_METRIC,
  predictiveScalingPolicy,
} from "./policy.ts";

const LB =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/fleet/50dc6c495c0c9188";
const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/order/943f017f100becff";
const LABEL = "app/fleet/50dc6c495c0c9188/targetgroup/order/943f017f100becff";

describe("albResourceLabel", () => {
  it("joins the ARN suffixes as Application Auto Scaling documents", () => {
    expect(albResourceLabel(LB, TG)).toBe(LABEL);
  });

  it("names the ARN that is not an ALB or target group", () => {
    expect(() => albResourceLabel(TG, TG)).toThrowError(/loadBalancerArn .* not an Application/);
    expect(() =>
      albResourceLabel(LB, "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/x/1"),
    ).toThrowError(/targetGroupArn/);
  });
});

describe("predictiveScalingPolicy", () => {
  it("forecasts the target group's observed RequestCount, never PredictedLoad", () => {
    const c = predictiveScalingPolicy({ resourceLabel: LABEL, requestsPerTaskPerMinute: 1200 });
    expect(c.Mode).toBe("ForecastAndScale");
    expect(c.SchedulingBufferTime).toBe(300);
    expect(c.MaxCapacityBreachBehavior).toBe("HonorMaxCapacity");
    expect(c).not.toHaveProperty("MaxCapacityBuffer");
    expect(c.MetricSpecifications).toEqual([
      {
        TargetValue: 1200,
        PredefinedMetricPairSpecification: {
          PredefinedMetricType: "ALBRequestCount",
          ResourceLabel: LABEL,
        },
      },
    ]);
    expect(JSON.stringify(c)).not.toContain(PREDICTED_LOAD_METRIC.MetricName);
  });

  it("passes the capacity-breach settings through", () => {
    const c = predictiveScalingPolicy({
      resourceLabel: LABEL,
      requestsPerTaskPerMinute: 900,
      maxCapacityBreachBehavior: "IncreaseMaxCapacity",
      maxCapacityBuffer: 10,
      mode: "ForecastOnly",
    });
    expect(c.MaxCapacityBuffer).toBe(10);
    expect(c.Mode).toBe("ForecastOnly");
  });

  it("rejects inconsistent settings, naming the field", () => {
    const ok = { resourceLabel: LABEL, requestsPerTaskPerMinute: 1 };
    expect(() => predictiveScalingPolicy({ ...ok, maxCapacityBuffer: 5 })).toThrowError(
      /IncreaseMaxCapacity/,
    );
    expect(() =>
      predictiveScalingPolicy({ ...ok, schedulingBufferTimeSeconds: 7200 }),
    ).toThrowError(/0-3600/);
    expect(() => predictiveScalingPolicy({ ...ok, requestsPerTaskPerMinute: -1 })).toThrowError(
      /requestsPerTaskPerMinute/,
    );
    expect(() => predictiveScalingPolicy({ ...ok, resourceLabel: "targetgroup/x/1" })).toThrowError(
      /resourceLabel .*albResourceLabel/,
    );
  });
});

describe("forecastTrackingPolicy", () => {
  it("tracks forecast requests per running task at the per-task target, scale-in on", () => {
    const c = forecastTrackingPolicy({
      service: "order-service",
      stage: "production",
      clusterName: "fleet",
      requestsPerTaskPerMinute: 1000,
      scaleInCooldownSeconds: 300,
      scaleOutCooldownSeconds: 60,
    });
    expect(c.TargetValue).toBe(1000);
    expect(c.DisableScaleIn).toBe(false);
    expect(c).toMatchObject({ ScaleInCooldown: 300, ScaleOutCooldown: 60 });
    const [forecast, tasks, perTask] = c.CustomizedMetricSpecification.Metrics;
    expect(forecast?.MetricStat?.Metric).toEqual({
      Namespace: "Custom/ECS",
      MetricName: "PredictedLoad",
      Dimensions: [
        { Name: "Stage", Value: "production" },
        { Name: "Service", Value: "order-service" },
      ],
    });
    expect(tasks?.MetricStat?.Metric.MetricName).toBe("RunningTaskCount");
    expect(tasks?.MetricStat?.Metric.Dimensions).toContainEqual({
      Name: "ServiceName",
      Value: "order-service",
    });
    // Exactly one query returns data, as the API requires.
    expect(c.CustomizedMetricSpecification.Metrics.filter((m) => m.ReturnData)).toEqual([perTask]);
    expect(perTask?.Expression).toBe("forecast / tasks");
  });

  it("reads PredictedLoad under the dimensions the job publishes", () => {
    const c = forecastTrackingPolicy({
      service: "s",
      stage: "dev",
      clusterName: "c",
      requestsPerTaskPerMinute: 1,
      scaleInCooldownSeconds: 1,
      scaleOutCooldownSeconds: 1,
    });
    const dims = c.CustomizedMetricSpecification.Metrics[0]?.MetricStat?.Metric.Dimensions ?? [];
    expect(Object.fromEntries(dims.map((d) => [d.Name, d.Value]))).toEqual(
      ecsMetricDimensions("s", "dev"),
    );
  });
});

describe("predictedLoadSeries", () => {
  const f = (mean: number[]) => ({ startMs: 0, stepMs: 300_000, mean: Float64Array.from(mean) });

  it("publishes one point per minute with the busiest rate in the lead after it", () => {
    // 500 per 5 minutes = 100 rpm, then 1000 rpm from minute 10.
    const pts = predictedLoadSeries(f([500, 500, 5000, 5000]), { fromMs: 0 });
    expect(pts).toHaveLength(15);
    expect(pts[0]).toEqual({ timestampMs: 0, requestsPerMinute: 100 });
    // Minute 5 sees minute 10 within its 5-minute lead: capacity arrives before the load.
    expect(pts[5]?.requestsPerMinute).toBe(1000);
    expect(pts[4]?.requestsPerMinute).toBe(100);
  });

  it("leaves out minutes the forecast does not reach and refuses off-minute starts", () => {
    expect(predictedLoadSeries(f([500]), { fromMs: 0, leadMs: 0 })).toHaveLength(5);
    expect(() => predictedLoadSeries(f([500]), { fromMs: 1 })).toThrowError(/whole minute/);
  });

  it("never goes below the forecast of its own minute nor above the horizon's peak", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 4, maxLength: 40 }),
        fc.integer({ min: 0, max: 10 }),
        (mean, lead) => {
          const pts = predictedLoadSeries(f(mean), { fromMs: 0, leadMs: lead * 60_000 });
          const peak = Math.max(...mean) / 5;
          for (const p of pts) {
            const own = (mean[Math.floor(p.timestampMs / 300_000)] as number) / 5;
            expect(p.requestsPerMinute).toBeGreaterThanOrEqual(own);
            expect(p.requestsPerMinute).toBeLessThanOrEqual(peak + 1e-9);
          }
          expect(pts.length).toBe(FORECAST_FEED.everyMs / 60_000);
        },
      ),
    );
  });
});
