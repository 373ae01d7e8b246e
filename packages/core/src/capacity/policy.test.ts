import { describe, expect, it } from "vitest";
import { OBSERVED_LOAD_METRIC, PREDICTED_LOAD_METRIC, predictiveScalingPolicy } from "./policy.ts";

describe("predictiveScalingPolicy", () => {
  it("builds the Application Auto Scaling shape with PredictedLoad as the load metric", () => {
    const c = predictiveScalingPolicy({
      service: "order-service",
      stage: "production",
      clusterName: "fleet",
      requestsPerTaskPerMinute: 1200,
    });
    expect(c.Mode).toBe("ForecastAndScale");
    expect(c.SchedulingBufferTime).toBe(300);
    expect(c.MaxCapacityBreachBehavior).toBe("HonorMaxCapacity");
    expect(c).not.toHaveProperty("MaxCapacityBuffer");
    const spec = c.MetricSpecifications[0];
    expect(spec?.TargetValue).toBe(1200);
    expect(spec?.CustomizedLoadMetricSpecification.MetricDataQueries).toEqual([
      {
        Id: "load",
        MetricStat: {
          Metric: {
            Namespace: "Custom/ECS",
            MetricName: "PredictedLoad",
            Dimensions: [
              { Name: "Stage", Value: "production" },
              { Name: "Service", Value: "order-service" },
            ],
          },
          Stat: "Average",
        },
        Label: "Predicted requests per minute",
        ReturnData: true,
      },
    ]);
    // Exactly one query per specification returns data, as the API requires.
    for (const key of [
      "CustomizedLoadMetricSpecification",
      "CustomizedScalingMetricSpecification",
      "CustomizedCapacityMetricSpecification",
    ] as const) {
      expect(spec?.[key].MetricDataQueries.filter((q) => q.ReturnData)).toHaveLength(1);
    }
    expect(
      spec?.CustomizedCapacityMetricSpecification.MetricDataQueries[0]?.MetricStat?.Metric
        .MetricName,
    ).toBe("RunningTaskCount");
    expect(PREDICTED_LOAD_METRIC.Namespace).toBe("Custom/ECS");
    // Without a target group, per-task load is the observed rate, never the forecast itself.
    const scaling = spec?.CustomizedScalingMetricSpecification.MetricDataQueries ?? [];
    expect(scaling.find((x) => x.Id === "requests")?.MetricStat?.Metric).toEqual({
      Namespace: OBSERVED_LOAD_METRIC.Namespace,
      MetricName: "ObservedLoad",
      Dimensions: [
        { Name: "Stage", Value: "production" },
        { Name: "Service", Value: "order-service" },
      ],
    });
    expect(scaling.find((x) => x.ReturnData)?.Expression).toBe("requests / tasks");
  });

  it("uses the ALB request count per minute per task when a target group is given", () => {
    const c = predictiveScalingPolicy({
      service: "user-service",
      stage: "production",
      clusterName: "fleet",
      requestsPerTaskPerMinute: 900,
      targetGroup: { loadBalancer: "app/alb/123", targetGroup: "targetgroup/user/456" },
      maxCapacityBreachBehavior: "IncreaseMaxCapacity",
      maxCapacityBuffer: 10,
      mode: "ForecastOnly",
    });
    const q =
      c.MetricSpecifications[0]?.CustomizedScalingMetricSpecification.MetricDataQueries ?? [];
    expect(q.find((x) => x.Id === "requests")?.MetricStat?.Metric.MetricName).toBe("RequestCount");
    expect(q.find((x) => x.ReturnData)?.Expression).toBe(
      "requests / (PERIOD(requests) / 60) / tasks",
    );
    expect(c.MaxCapacityBuffer).toBe(10);
    expect(c.Mode).toBe("ForecastOnly");
  });

  it("rejects inconsistent settings", () => {
    expect(() =>
      predictiveScalingPolicy({
        service: "s",
        stage: "dev",
        clusterName: "c",
        requestsPerTaskPerMinute: 1,
        maxCapacityBuffer: 5,
      }),
    ).toThrowError(/IncreaseMaxCapacity/);
    expect(() =>
      predictiveScalingPolicy({
        service: "s",
        stage: "dev",
        clusterName: "c",
        requestsPerTaskPerMinute: 1,
        schedulingBufferTimeSeconds: 7200,
      }),
    ).toThrowError(/0-3600/);
    expect(() =>
      predictiveScalingPolicy({
        service: "s",
        stage: "dev",
        clusterName: "c",
        requestsPerTaskPerMinute: -1,
      }),
    ).toThrowError(/requestsPerTaskPerMinute/);
  });
});
