import { ecsMetricDimensions, FORECAST_FEED } from "@slo/core/capacity";
import { EMBEDDED_FLEET_END_MS } from "@slo/core/embedded";
import { describe, expect, it } from "vitest";
import { capacityMetrics } from "../runtime/capacity-metrics.ts";
import { emfDeps, invokeCapturingStdout, pointsOf } from "../test-helpers.ts";
import { createPredictedLoad } from "./predicted-load.ts";

describe("predicted-load handler (real middy stack, EMF on stdout)", () => {
  it("publishes a minute-by-minute PredictedLoad per service in Custom/ECS, and nothing else", async () => {
    const deps = emfDeps("predicted-load");
    const run = await invokeCapturingStdout(createPredictedLoad(deps), "predicted-load");
    expect(run.result?.failed).toEqual([]);
    expect(run.result?.succeeded).toHaveLength(10);
    const load = pointsOf(run.points, "PredictedLoad");
    const perRun = FORECAST_FEED.everyMs / 60_000;
    expect(load).toHaveLength(10 * perRun);
    // RecommendedTaskCount and ObservedLoad are gone: nothing read them.
    expect(
      new Set(run.points.filter((p) => p.namespace === "Custom/ECS").map((p) => p.name)),
    ).toEqual(new Set(["PredictedLoad"]));
    for (const p of load) {
      expect(p.namespace).toBe("Custom/ECS");
      expect(p.dimensions).toEqual(ecsMetricDimensions(p.dimensions.Service as string, "local"));
      expect(Object.keys(p.dimensions).sort()).toEqual(["Service", "Stage"]);
      expect(p.value).toBeGreaterThanOrEqual(0);
    }
    // Each service covers the minutes from the evaluated step until the next run.
    const stamps = pointsOf(load, "PredictedLoad", { Service: "order-service" }).map(
      (p) => p.timestampMs,
    );
    expect(stamps).toEqual(
      Array.from({ length: perRun }, (_, k) => EMBEDDED_FLEET_END_MS + k * 60_000),
    );
    // The forecast follows each service's traffic: the busiest service out-predicts the quietest.
    const of = (s: string) =>
      pointsOf(load, "PredictedLoad", { Service: s }).reduce((a, p) => a + p.value, 0);
    expect(of("catalog-service")).toBeGreaterThan(10 * of("reporting-service"));
  });

  it("isolates a service whose history cannot be read", async () => {
    const deps = emfDeps("predicted-load");
    const run = await invokeCapturingStdout(
      createPredictedLoad({
        ...deps,
        capacityMetrics: (service) => {
          const m = capacityMetrics(service);
          return service === "audit-service"
            ? { ...m, requests: { ...m.requests, metricName: "NoSuchMetric" } }
            : m;
        },
      }),
      "predicted-load",
    );
    expect(run.result?.failed.map((f) => f.name)).toEqual(["audit-service"]);
    expect(run.result?.failed[0]?.reason).toMatch(/NoSuchMetric/);
    expect(pointsOf(run.points, "PredictedLoad")).toHaveLength(
      9 * (FORECAST_FEED.everyMs / 60_000),
    );
    expect(pointsOf(run.points, "PredictedLoad", { Service: "audit-service" })).toEqual([]);
    expect(pointsOf(run.points, "JobErrors").map((p) => p.value)).toEqual([1]);
  });
});
