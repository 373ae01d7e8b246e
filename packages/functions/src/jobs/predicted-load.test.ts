import { EMBEDDED_FLEET_END_MS } from "@slo/core/embedded";
import type { MetricsSource } from "@slo/core/metrics";
import { describe, expect, it } from "vitest";
import { capacityMetrics } from "../runtime/capacity-metrics.ts";
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
      expect(Object.keys(p.dimensions).sort()).toEqual(["Service", "Stage"]);
      expect(p.timestampMs).toBe(EMBEDDED_FLEET_END_MS);
    }
    for (const p of tasks) {
      expect(Number.isInteger(p.value)).toBe(true);
      expect(p.value).toBeGreaterThanOrEqual(1);
    }
    // The forecast follows each service's traffic: the busiest service out-predicts the quietest.
    const of = (s: string) =>
      pointsOf(load, "PredictedLoad", { Service: s })[0]?.value ?? Number.NaN;
    expect(of("catalog-service")).toBeGreaterThan(10 * of("reporting-service"));
    // ObservedLoad (the policy's scaling metric) is what was seen: reporting-service had no
    // traffic in the last two hours, so it publishes none rather than a zero.
    const observed = pointsOf(run.points, "ObservedLoad");
    expect(observed).toHaveLength(9);
    expect(pointsOf(observed, "ObservedLoad", { Service: "reporting-service" })).toEqual([]);
    for (const p of observed) expect(p.value).toBeGreaterThan(0);
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
    expect(pointsOf(run.points, "PredictedLoad")).toHaveLength(9);
    expect(pointsOf(run.points, "PredictedLoad", { Service: "audit-service" })).toEqual([]);
    expect(pointsOf(run.points, "JobErrors").map((p) => p.value)).toEqual([1]);
  });

  it("publishes the forecast but not a task count when the capacity cannot be estimated", async () => {
    const deps = emfDeps("predicted-load");
    // CloudWatch answers, but Container Insights has no task counts for order-service.
    const noTasks: MetricsSource = {
      name: "no-tasks",
      async fetch(queries, range) {
        const out = await deps.source.fetch(queries, range);
        return out.map((s) => {
          const q = queries.find((x) => x.id === s.id);
          const blank =
            q?.id === "tasks" &&
            q.query.kind === "metric" &&
            q.query.dimensions.Service === "order-service";
          return blank ? { ...s, values: new Float64Array(s.values.length).fill(Number.NaN) } : s;
        });
      },
    };
    const run = await invokeCapturingStdout(
      createPredictedLoad({ ...deps, metricsSource: () => noTasks }),
      "predicted-load",
    );
    expect(pointsOf(run.points, "PredictedLoad", { Service: "order-service" })).toHaveLength(1);
    expect(pointsOf(run.points, "RecommendedTaskCount", { Service: "order-service" })).toEqual([]);
    expect(run.result?.failed.map((f) => f.name)).toEqual(["order-service/RecommendedTaskCount"]);
    expect(run.result?.failed[0]?.reason).toMatch(/CapacityError: only 0 samples/);
    expect(run.result?.succeeded).not.toContain("order-service");
  });
});
