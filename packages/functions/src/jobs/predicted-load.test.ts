import { EMBEDDED_FLEET_END_MS } from "@slo/core/embedded";
import { describe, expect, it } from "vitest";
import { embeddedCapacityMetrics } from "../runtime/local-deps.ts";
import { emfDeps, invokeCapturingStdout, pointsOf } from "../test-helpers.ts";
import { createPredictedLoad } from "./predicted-load.ts";

describe("predicted-load handler (real middy stack, EMF on stdout)", () => {
  it("publishes PredictedLoad and RecommendedTaskCount per service in Custom/ECS", async () => {
    const deps = emfDeps("predicted-load");
    const run = await invokeCapturingStdout(createPredictedLoad(deps), "predicted-load");
    expect(run.result?.failed).toEqual([]);
    expect(run.result?.succeeded).toHaveLength(10);
    const load = pointsOf(run.points, "PredictedLoad");
    const tasks = pointsOf(run.points, "RecommendedTaskCount");
    expect(load).toHaveLength(10);
    expect(tasks).toHaveLength(10);
    for (const p of [...load, ...tasks]) {
      expect(p.namespace).toBe("Custom/ECS");
      expect(Object.keys(p.dimensions)).toEqual(["Service"]);
      expect(p.timestampMs).toBe(EMBEDDED_FLEET_END_MS);
    }
    for (const p of tasks) {
      expect(Number.isInteger(p.value)).toBe(true);
      expect(p.value).toBeGreaterThanOrEqual(1);
    }
    // The forecast follows each service's traffic: the busiest service out-predicts the quietest.
    const of = (s: string) => pointsOf(load, "PredictedLoad", { Service: s })[0]?.value ?? Number.NaN;
    expect(of("catalog-service")).toBeGreaterThan(10 * of("reporting-service"));
  });

  it("isolates a service whose history cannot be read", async () => {
    const deps = emfDeps("predicted-load");
    const run = await invokeCapturingStdout(
      createPredictedLoad({
        ...deps,
        capacityMetrics: (service) => {
          const m = embeddedCapacityMetrics(service);
          return service === "audit-service" ? { ...m, requests: { ...m.requests, metricName: "NoSuchMetric" } } : m;
        },
      }),
      "predicted-load",
    );
    expect(run.result?.failed.map((f) => f.name)).toEqual(["audit-service"]);
    expect(run.result?.failed[0]?.reason).toMatch(/NoSuchMetric/);
    expect(pointsOf(run.points, "PredictedLoad")).toHaveLength(9);
    expect(pointsOf(run.points, "PredictedLoad", { Service: "audit-service" })).toEqual([]);
    expect(pointsOf(run.points, "JobErrors").map((p) => p.value)).toEqual([1]);
  });

  it("publishes the forecast but not a task count when the capacity cannot be estimated", async () => {
    const deps = emfDeps("predicted-load");
    const run = await invokeCapturingStdout(
      createPredictedLoad({
        ...deps,
        capacityMetrics: (service) => {
          const m = embeddedCapacityMetrics(service);
          // Requests as the task count: load per task is constant, CPU cannot be regressed on it.
          return service === "order-service" ? { ...m, tasks: { ...m.requests, stat: "SampleCount" }, cpu: m.requests } : m;
        },
      }),
      "predicted-load",
    );
    expect(pointsOf(run.points, "PredictedLoad", { Service: "order-service" })).toHaveLength(1);
    expect(pointsOf(run.points, "RecommendedTaskCount", { Service: "order-service" })).toEqual([]);
    expect(run.result?.failed.map((f) => f.name)).toEqual(["order-service/RecommendedTaskCount"]);
    expect(run.result?.succeeded).not.toContain("order-service");
  });
});
