import { EMBEDDED_FLEET_END_MS } from "@slo/core/embedded";
import type { MetricQuery, MetricsSource, TimeRange } from "@slo/core/metrics";
import { describe, expect, it } from "vitest";
import { JobFailedError } from "../runtime/job.ts";
import { emfDeps, invokeCapturingStdout, pointsOf } from "../test-helpers.ts";
import { createSloCalculator } from "./slo-calculator.ts";

/** Delegates to `inner` but flags every query of `service` as partial data. */
function partialFor(inner: MetricsSource, service: string): MetricsSource {
  const touches = (q: MetricQuery) =>
    q.query.kind === "metric"
      ? q.query.dimensions.Service === service
      : Object.values(q.query.metrics).some((m) => m.dimensions.Service === service);
  return {
    name: "partial",
    async fetch(queries: readonly MetricQuery[], range: TimeRange) {
      const out = await inner.fetch(queries, range);
      return out.map((s) => {
        const q = queries.find((x) => x.id === s.id);
        return q && touches(q) ? { ...s, complete: false } : s;
      });
    },
  };
}

describe("slo-calculator handler (real middy stack, EMF on stdout)", () => {
  it("publishes SLI, Compliance and ErrorBudgetRemaining of all 41 SLOs with Service/SLO dimensions", async () => {
    const deps = emfDeps("slo-calculator", { metricsProfile: "full" });
    const run = await invokeCapturingStdout(createSloCalculator(deps), "slo-calculator");
    expect(run.error).toBeUndefined();
    expect(run.result?.succeeded).toHaveLength(41);
    expect(run.result?.failed).toEqual([]);
    const slo = run.points.filter((p) => p.namespace === "Custom/SLO" && p.dimensions.SLO);
    expect(pointsOf(slo, "SLI")).toHaveLength(41);
    expect(pointsOf(slo, "Compliance")).toHaveLength(41);
    expect(pointsOf(slo, "ErrorBudgetRemaining")).toHaveLength(41);
    // Burn rates belong to the burn-rate evaluator.
    expect(pointsOf(slo, "BurnRate")).toHaveLength(0);
    for (const p of slo) {
      expect(Object.keys(p.dimensions).sort()).toEqual(["SLO", "Service", "Stage"]);
      expect(p.dimensions.Stage).toBe("local");
      expect(p.timestampMs).toBe(EMBEDDED_FLEET_END_MS);
    }
    for (const p of pointsOf(slo, "SLI")) expect(p.value).toBeGreaterThan(0.9);
    // The payment outage spent budget; a quiet service kept most of it.
    const budget = (s: string) =>
      pointsOf(slo, "ErrorBudgetRemaining", { SLO: `${s}-availability` })[0]?.value ?? Number.NaN;
    expect(budget("payment-service")).toBeLessThan(budget("inventory-service"));
    // The raw EMF directive names exactly the three dimensions (no Powertools `service`).
    const raw = run.lines
      .map((l) => JSON.parse(l))
      .find((b) => b.SLO === "user-service-availability");
    expect(raw._aws.CloudWatchMetrics[0].Dimensions).toEqual([["SLO", "Service", "Stage"]]);
    expect(raw._aws.CloudWatchMetrics[0].Namespace).toBe("Custom/SLO");
    // logMetrics flushed the job's own metrics.
    // ...with the stage, as the job alarms read them.
    const jobErrors = pointsOf(run.points, "JobErrors", {
      service: "slo-calculator",
      Stage: "local",
    });
    expect(jobErrors.map((p) => p.value)).toEqual([0]);
  });

  it("publishes identical datapoints when the same period is run again (no double counting)", async () => {
    const deps = emfDeps("slo-calculator");
    const handler = createSloCalculator(deps);
    const first = await invokeCapturingStdout(handler, "slo-calculator");
    const second = await invokeCapturingStdout(handler, "slo-calculator");
    const slo = (r: typeof first) => r.points.filter((p) => p.dimensions.SLO !== undefined);
    expect(slo(second)).toEqual(slo(first));
    // The rerun finds the rollups already at this step: it reuses them, writing (and
    // fetching) nothing, which is also how the burn-rate evaluator shares the calculator's reads.
    expect(deps.rollups.stats.writes).toBe(41);
  });

  it("keeps publishing the other SLOs when one service's data is partial, and counts JobErrors", async () => {
    // `full`: the profile that publishes the calculator's metrics per objective.
    const deps = emfDeps("slo-calculator", { metricsProfile: "full" });
    const source = partialFor(deps.source, "audit-service");
    const run = await invokeCapturingStdout(
      createSloCalculator({ ...deps, metricsSource: () => source }),
      "slo-calculator",
    );
    expect(run.result?.succeeded).toHaveLength(37);
    const failedNames = run.result?.failed.map((f) => f.name).sort();
    expect(failedNames).toEqual([
      "audit-service-availability",
      "audit-service-error-rate",
      "audit-service-latency-p95",
      "audit-service-latency-p99",
    ]);
    expect(run.result?.failed[0]?.reason).toMatch(/incomplete/);
    expect(pointsOf(run.points, "ErrorBudgetRemaining", { Service: "audit-service" })).toHaveLength(
      0,
    );
    expect(pointsOf(run.points, "ErrorBudgetRemaining")).toHaveLength(37);
    expect(pointsOf(run.points, "JobErrors").map((p) => p.value)).toEqual([4]);
  });

  it("fails the run (and still flushes JobErrors) when nothing can be read", async () => {
    const deps = emfDeps("slo-calculator");
    const broken: MetricsSource = {
      name: "broken",
      fetch: () => Promise.reject(new Error("GetMetricData failed: InternalFailure")),
    };
    const run = await invokeCapturingStdout(
      createSloCalculator({ ...deps, metricsSource: () => broken }),
      "slo-calculator",
    );
    expect(run.error).toBeInstanceOf(JobFailedError);
    expect((run.error as JobFailedError).result.failed).toHaveLength(41);
    expect(pointsOf(run.points, "SLI")).toHaveLength(0);
    expect(pointsOf(run.points, "JobErrors").map((p) => p.value)).toEqual([41]);
  });

  it("takes its time budget from context.getRemainingTimeInMillis()", async () => {
    const deps = emfDeps("slo-calculator");
    // 1 s left minus the 1 s reserve: the budget is spent before the first fetch.
    const run = await invokeCapturingStdout(createSloCalculator(deps), "slo-calculator", {
      timeoutMs: 1_000,
    });
    expect(run.error).toBeInstanceOf(JobFailedError);
    expect((run.error as JobFailedError).result.failed[0]?.reason).toMatch(/BudgetExceededError/);
    expect(pointsOf(run.points, "SLI")).toHaveLength(0);
  });

  it("evaluates the instant in the scheduled event's time", async () => {
    const deps = emfDeps("slo-calculator", { metricsProfile: "full" });
    const at = EMBEDDED_FLEET_END_MS - 86_400_000;
    const run = await invokeCapturingStdout(createSloCalculator(deps), "slo-calculator", {
      event: { "detail-type": "Scheduled Event", time: new Date(at).toISOString() },
    });
    expect(run.result?.evaluatedAt).toBe(new Date(at).toISOString());
    expect(new Set(pointsOf(run.points, "ErrorBudgetRemaining").map((p) => p.timestampMs))).toEqual(
      new Set([at]),
    );
  });
});
