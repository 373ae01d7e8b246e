import { describe, expect, it } from "vitest";
import { loadFleetSlos, serviceSlos } from "../../testing/fleet-slos.ts";
import type { SloDefinition } from "../spec/model.ts";
import { planSloQueries, queryKey } from "./plan.ts";

const STEP = 60_000;
const FLEET = await loadFleetSlos();

function withIndicator(def: SloDefinition, patch: Partial<SloDefinition>): SloDefinition {
  return { ...def, ...patch };
}

describe("planSloQueries", () => {
  it("deduplicates the 41 fleet SLOs' queries to 6 per service plus the mesh SLO's 2", () => {
    const plan = planSloQueries(FLEET, STEP);
    expect(plan.failures.size).toBe(0);
    expect(plan.slos).toHaveLength(41);
    // Per service: RequestCount, 5xx, m1+m2, TC(:0.25), TC(:0.5), SampleCount = 6 unique
    // instead of 8 (2 per SLO).
    // The mesh SLO: Service Connect RequestCount and 5xx (AWS/ECS), shared with nothing.
    expect(plan.queries).toHaveLength(62);
    const keys = new Set(plan.queries.map((q) => queryKey(q.query)));
    expect(keys.size).toBe(plan.queries.length);
    const ids = plan.slos.flatMap((s) => s.objectives.map((o) => o.recipe));
    const referenced = new Set(
      ids.flatMap((r) =>
        r.kind === "timeslice"
          ? [r.sli]
          : r.kind === "good_total"
            ? [r.good, r.total]
            : [r.bad, r.total],
      ),
    );
    expect([...referenced].sort()).toEqual(plan.queries.map((q) => q.id).sort());
  });

  it("maps each indicator type to its recipe", () => {
    const [availability, p95, , errorRate] = serviceSlos(FLEET, "order-service");
    const plan = planSloQueries([availability, p95, errorRate], STEP);
    const byName = new Map(plan.slos.map((s) => [s.slo, s.objectives[0]?.recipe]));
    const query = (id: string) => plan.queries.find((q) => q.id === id)?.query;

    const a = byName.get("order-service-availability");
    expect(a?.kind).toBe("bad_total");
    if (a?.kind === "bad_total") expect(query(a.bad)?.kind).toBe("expression");

    const l = byName.get("order-service-latency-p95");
    expect(l?.kind).toBe("good_total");
    if (l?.kind === "good_total") {
      expect(query(l.good)).toMatchObject({ metricName: "TargetResponseTime", stat: "TC(:0.25)" });
      expect(query(l.total)).toMatchObject({
        metricName: "TargetResponseTime",
        stat: "SampleCount",
      });
    }

    const gte = withIndicator(p95, {
      name: "throughput",
      objectives: [{ name: "o", target: 0.9, op: "gte", value: 0.1 }],
    });
    const g = planSloQueries([gte], STEP);
    expect(g.queries.map((q) => (q.query.kind === "metric" ? q.query.stat : ""))).toEqual([
      "TC(0.1:)",
      "SampleCount",
    ]);

    const sliced = withIndicator(p95, { name: "sliced", budgetingMethod: "Timeslices" });
    const s = planSloQueries([sliced], STEP);
    expect(s.slos[0]?.objectives[0]?.recipe).toEqual({
      kind: "timeslice",
      sli: "q0",
      op: "lte",
      value: 0.25,
    });
    expect(s.queries[0]?.query).toMatchObject({ stat: "p95" });
  });

  it("treats stat spelling and dimension order as the same query", () => {
    const [, , , errorRate] = serviceSlos(FLEET, "user-service");
    const base = errorRate as SloDefinition;
    if (base.indicator.type !== "ratio") throw new Error("fixture");
    const respelled = withIndicator(base, {
      name: "respelled",
      indicator: {
        ...base.indicator,
        total: {
          kind: "metric",
          namespace: "AWS/ApplicationELB",
          metricName: "RequestCount",
          dimensions: { Service: "user-service" },
          stat: "sum",
        },
      },
    });
    expect(planSloQueries([base, respelled], STEP).queries).toHaveLength(2);
  });

  it("fails only the SLO with an unsupported or broken source", () => {
    const [good, , , other] = serviceSlos(FLEET, "audit-service");
    const unsupported = withIndicator(good as SloDefinition, {
      name: "prometheus-slo",
      indicator: {
        type: "ratio",
        counter: true,
        good: { kind: "unsupported", type: "Prometheus", spec: {} },
        total: { kind: "unsupported", type: "Prometheus", spec: {} },
      },
    });
    const broken = withIndicator(good as SloDefinition, {
      name: "broken-expression",
      indicator: {
        type: "ratio",
        counter: true,
        bad: { kind: "expression", expression: "m1 +", metrics: {} },
        total: { kind: "metric", namespace: "X", metricName: "Only", dimensions: {}, stat: "Sum" },
      },
    });
    const sliceMismatch = withIndicator(good as SloDefinition, {
      name: "slice-mismatch",
      budgetingMethod: "Timeslices",
      objectives: [{ name: "o", target: 0.99, timeSliceWindowMs: 90_000 }],
    });
    const plan = planSloQueries(
      [good as SloDefinition, unsupported, broken, sliceMismatch, other as SloDefinition],
      STEP,
    );
    expect(plan.slos.map((s) => s.slo)).toEqual([
      "audit-service-availability",
      "audit-service-error-rate",
    ]);
    expect(plan.failures.get("prometheus-slo")).toMatch(/unsupported source type "Prometheus"/);
    expect(plan.failures.get("broken-expression")).toMatch(/column 5/);
    expect(plan.failures.get("slice-mismatch")).toMatch(/90s is not a whole number of 1m steps/);
    // The broken SLO's valid total query must not linger in the plan.
    expect(
      plan.queries.some((q) => q.query.kind === "metric" && q.query.metricName === "Only"),
    ).toBe(false);
    expect(plan.queries).toHaveLength(3);
  });
});
