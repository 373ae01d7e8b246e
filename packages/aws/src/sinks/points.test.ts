import { buildSloAlarms } from "@slo/core/monitoring";
import type { ObjectiveReport, SloReport } from "@slo/core/slo";
import type { SloDefinition } from "@slo/core/spec";
import { objectiveAlertState as alertStateValue } from "@slo/core/stage-report";
import { describe, expect, it } from "vitest";
import { serviceSlos } from "../../../core/src/monitoring/test-fixtures.ts";
import { ecsCapacityPoints, sloReportPoints } from "./points.ts";

const AT = Date.UTC(2026, 10, 20, 12, 0);
const alert = (
  tier: string,
  severity: "page" | "ticket",
  state: ObjectiveReport["alerts"][number]["state"],
) => ({
  tier,
  severity,
  longWindowMs: 3_600_000,
  shortWindowMs: 300_000,
  threshold: 14.4,
  longBurnRate: 1,
  shortBurnRate: 1,
  state,
});
function objective(over: Partial<ObjectiveReport> = {}): ObjectiveReport {
  return {
    name: "availability",
    target: 0.999,
    sli: 0.9995,
    compliant: true,
    good: 9995,
    total: 10000,
    errorBudget: {
      allowed: 10,
      consumed: 5,
      remainingFraction: 0.5,
      allowedMinutes: 43.2,
      consumedMinutes: 21.6,
      remainingMinutes: 21.6,
    },
    currentBurnRate: 0.5,
    timeToExhaustionMs: null,
    alerts: [alert("page-1h", "page", "ok"), alert("ticket-1d", "ticket", "firing")],
    budgetHistory: [],
    sliHistory: [],
    burnRates: [
      { windowMs: 300_000, burnRate: 0.2 },
      { windowMs: 3_600_000, burnRate: null },
    ],
    calendarHistory: [],
    ...over,
  };
}
const report = (objectives: ObjectiveReport[]): SloReport => ({
  slo: "user-service-availability",
  service: "user-service",
  budgetingMethod: "Occurrences",
  evaluatedAtMs: AT,
  windowStartMs: AT - 30 * 86_400_000,
  windowEndMs: AT,
  status: "ok",
  objectives,
});

describe("sloReportPoints", () => {
  it("publishes SLI, compliance, budget, burn rates per window and alert state at the evaluated step", () => {
    const pts = sloReportPoints(report([objective()]), "production");
    expect(pts.map((p) => [p.name, p.value, p.dimensions.Window ?? ""])).toEqual([
      ["SLI", 0.9995, ""],
      ["Compliance", 1, ""],
      ["ErrorBudgetRemaining", 0.5, ""],
      ["BurnRate", 0.2, "5m"],
      ["AlertState", 1, ""],
    ]);
    expect(pts.every((p) => p.timestampMs === AT && p.namespace === "Custom/SLO")).toBe(true);
    expect(pts[0]?.dimensions).toEqual({
      Stage: "production",
      Service: "user-service",
      SLO: "user-service-availability",
    });
  });

  it("leaves out values without data and names further objectives", () => {
    const none = objective({
      sli: null,
      compliant: null,
      errorBudget: { ...objective().errorBudget, remainingFraction: null },
      burnRates: [],
      alerts: [alert("page-1h", "page", "no_data")],
    });
    const pts = sloReportPoints(report([objective(), { ...none, name: "strict" }]), "dev");
    expect(pts.filter((p) => p.dimensions.SLO === "user-service-availability/strict")).toHaveLength(
      0,
    );
    const second = sloReportPoints(report([none, { ...objective(), name: "strict" }]), "dev");
    expect(second.every((p) => p.dimensions.SLO === "user-service-availability/strict")).toBe(true);
  });

  it("publishes every objective under the SLO dimension its alarms watch", () => {
    const slo = {
      ...serviceSlos("user-service")[0],
      name: "user-service-availability",
      objectives: [
        { name: "availability", target: 0.999 },
        { name: "strict", target: 0.9999 },
      ],
    } as SloDefinition;
    const key = (d: Readonly<Record<string, string>> | undefined) =>
      JSON.stringify(Object.entries(d ?? {}).sort());
    const published = sloReportPoints(
      report([objective(), objective({ name: "strict" })]),
      "production",
    ).filter((p) => p.name === "ErrorBudgetRemaining");
    const watched = new Set(
      buildSloAlarms(slo, { stage: "production", topics: { page: "p", ticket: "t" } })
        .filter((a) => a.kind === "budget-exhausted")
        .flatMap((a) => a.metricQueries.map((q) => key(q.metric?.dimensions))),
    );
    expect(new Set(published.map((p) => p.dimensions.SLO))).toEqual(
      new Set(["user-service-availability", "user-service-availability/strict"]),
    );
    // Same full identity (Stage, Service, SLO), not only the same SLO value.
    expect(watched).toEqual(new Set(published.map((p) => key(p.dimensions))));
    const otherStage = sloReportPoints(report([objective()]), "staging");
    expect(otherStage.some((p) => watched.has(key(p.dimensions)))).toBe(false);
  });

  it("ranks alert state page > ticket > ok", () => {
    expect(
      alertStateValue(
        objective({ alerts: [alert("a", "page", "firing"), alert("b", "ticket", "firing")] }),
      ),
    ).toBe(2);
    expect(alertStateValue(objective({ alerts: [alert("a", "page", "suppressed")] }))).toBe(0);
    expect(
      alertStateValue(objective({ alerts: [alert("a", "page", "insufficient_data")] })),
    ).toBeNull();
  });
});

describe("ecsCapacityPoints", () => {
  it("publishes one PredictedLoad point per forecast minute in Custom/ECS", () => {
    const pts = ecsCapacityPoints({
      service: "order-service",
      stage: "dev",
      predictedLoad: [
        { timestampMs: AT, requestsPerMinute: 1800 },
        { timestampMs: AT + 60_000, requestsPerMinute: 1900 },
      ],
    });
    expect(pts.map((p) => [p.namespace, p.name, p.value, p.timestampMs, p.dimensions])).toEqual([
      ["Custom/ECS", "PredictedLoad", 1800, AT, { Stage: "dev", Service: "order-service" }],
      [
        "Custom/ECS",
        "PredictedLoad",
        1900,
        AT + 60_000,
        { Stage: "dev", Service: "order-service" },
      ],
    ]);
    expect(pts.every((p) => p.dimensions.Stage === "dev")).toBe(true);
  });
});
