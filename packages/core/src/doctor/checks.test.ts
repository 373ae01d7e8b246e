import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildStageReport, STAGE_REPORT_MAX_AGE_STEPS } from "../stage-report/model.ts";
import {
  checkBudgets,
  checkJobs,
  checkPosture,
  checkStageReport,
  DOCTOR_CHECKS,
  runDoctor,
} from "./checks.ts";
import type { ObservedStageReport, StageDeclaration, StageObservation } from "./model.ts";

const NOW = Date.UTC(2026, 11, 1, 12);
const declared: StageDeclaration = {
  stage: "dev",
  cluster: "c",
  azs: 2,
  services: [],
  jobs: [{ job: "slo-calculator", periodSeconds: 300, unitsMetricId: "u", errorsMetricId: "e" }],
  alarms: [],
  budgets: [],
  canaryMetricIds: {},
  canaryPeriodSeconds: 300,
  deadLetterMetricId: "dlq",
  topicNamePrefix: { page: "AlertsPageTopic", ticket: "AlertsTicketTopic" },
  budgetReserve: 0,
};
const observed = (metrics: StageObservation["metrics"]): StageObservation => ({
  nowMs: NOW,
  services: [],
  missingServices: [],
  targetGroups: [],
  scaling: [],
  alarms: [],
  metrics,
});

describe("runDoctor", () => {
  it("turns a check that throws into a failed line naming it, and runs the others", () => {
    const results = runDoctor(declared, observed({ u: [{ value: 1, atMs: NOW - 60_000 }] }), [
      [
        "broken",
        () => {
          throw new Error("boom");
        },
      ],
      ["jobs", checkJobs],
    ]);
    expect(results[0]).toMatchObject({
      check: "broken",
      status: "fail",
      message: "check failed: boom",
    });
    expect(results.filter((r) => r.check === "jobs").every((r) => r.status === "pass")).toBe(true);
  });

  it("allows a job two runs plus ingestion lag before calling it stale", () => {
    const at = (ageMs: number) =>
      runDoctor(declared, observed({ u: [{ value: 1, atMs: NOW - ageMs }] }), [
        ["jobs", checkJobs],
      ]);
    expect(at(720_000).some((r) => r.status === "fail")).toBe(false);
    expect(at(721_000).find((r) => r.status === "fail")?.message).toMatch(
      /last published 12 min ago, runs every 5 min/,
    );
  });

  it("lists every check once, in checklist order", () => {
    expect(DOCTOR_CHECKS.map(([n]) => n)).toEqual([
      "services",
      "target-groups",
      "scaling",
      "jobs",
      "alarms",
      "canaries",
      "stage-report",
      "budgets",
      "zero-trust",
    ]);
  });
});

describe("checkPosture (zero trust)", () => {
  it("says nothing when the posture was not read, passes when it matches, fails each difference", () => {
    expect(checkPosture(declared, observed({}))).toEqual([]);
    expect(checkPosture(declared, { ...observed({}), posture: [] })).toMatchObject([
      { check: "zero-trust", status: "pass", subject: "dev" },
    ]);
    const lines = checkPosture(declared, {
      ...observed({}),
      posture: [
        { service: "order-service", check: "ingress", message: "admits audit-service" },
        { service: "user-service", check: "ecs-exec", message: "ECS Exec is on" },
      ],
    });
    expect(lines.map((l) => [l.status, l.subject, l.message])).toEqual([
      ["fail", "order-service", "ingress: admits audit-service"],
      ["fail", "user-service", "ecs-exec: ECS Exec is on"],
    ]);
    expect(lines.every((l) => l.fix?.includes("stacks/fleet.ts"))).toBe(true);
    expect(DOCTOR_CHECKS.map(([name]) => name)).toContain("zero-trust");
  });
});

describe("checkStageReport and checkBudgets (the stage report)", () => {
  const STEP = 300_000;
  const LOCATION = "s3://b/reports/stage.json";
  const withBudgets: StageDeclaration = {
    ...declared,
    jobs: [
      ...declared.jobs,
      { job: "burn-rate-evaluator", periodSeconds: 300, unitsMetricId: "bu", errorsMetricId: "be" },
    ],
    budgets: [
      { slo: "a-availability", objective: "availability", service: "a" },
      { slo: "b-latency", objective: "p99", service: "b" },
    ],
    budgetReserve: 0.1,
  };
  const found = (
    evaluatedAtMs: number,
    over: { stage?: string; budgets?: [number | null, number | null]; failed?: string[] } = {},
  ): ObservedStageReport => ({
    location: LOCATION,
    status: "found",
    report: buildStageReport({
      stage: over.stage ?? "dev",
      evaluatedAtMs,
      stepMs: STEP,
      objectives: withBudgets.budgets
        .filter((b) => !over.failed?.includes(b.slo))
        .map((b, i) => ({
          service: b.service,
          slo: b.slo,
          objective: b.objective,
          target: 0.99,
          sli: 0.995,
          budgetRemaining: over.budgets ? (over.budgets[i] ?? null) : 0.5,
          alertState: 0 as const,
        })),
      failed: (over.failed ?? []).map((name) => ({ name, reason: "no metric" })),
    }),
  });
  const judge = (stageReport: ObservedStageReport | undefined) => {
    const o = { ...observed({}), ...(stageReport ? { stageReport } : {}) };
    return [...checkStageReport(withBudgets, o), ...checkBudgets(withBudgets, o)];
  };

  it("passes a fresh report of this stage with every budget above the reserve", () => {
    expect(judge(found(NOW - STEP)).map((r) => [r.check, r.status])).toEqual([
      ["stage-report", "pass"],
      ["budgets", "pass"],
    ]);
  });

  it("fails closed on a report it did not read, a missing one and an unreadable one", () => {
    for (const seen of [
      undefined,
      { location: LOCATION, status: "missing" as const },
      { location: LOCATION, status: "unreadable" as const, reason: "AccessDenied" },
    ]) {
      const lines = judge(seen);
      expect(lines.map((r) => [r.check, r.status])).toEqual([
        ["stage-report", "fail"],
        ["budgets", "warn"],
      ]);
      expect(lines[0]?.fix).toBeTruthy();
    }
    expect(judge({ location: LOCATION, status: "missing" })[0]?.fix).toMatch(
      /wait one evaluator run \(every 5 min\)/,
    );
  });

  it("is fresh exactly while the report is at most two steps old and not from the future", () => {
    fc.assert(
      fc.property(fc.integer({ min: -3 * STEP, max: 6 * STEP }), (ageMs) => {
        const [line] = judge(found(NOW - ageMs));
        const fresh = ageMs <= STAGE_REPORT_MAX_AGE_STEPS * STEP && ageMs >= -STEP;
        expect(line?.status).toBe(fresh ? "pass" : "fail");
      }),
    );
  });

  it("fails another stage's report, and each SLO the run could not evaluate, naming its service", () => {
    expect(judge(found(NOW, { stage: "staging" }))[0]?.message).toMatch(/stage "staging"'s/);
    const lines = judge(found(NOW, { failed: ["b-latency"] }));
    const failed = lines.find((r) => r.subject === "b-latency");
    expect(failed).toMatchObject({ check: "stage-report", status: "fail" });
    expect(failed?.fix).toMatch(/blocks deploys of b until it can/);
    // Its budget is the stage-report line's business, not a second "unknown" warning.
    expect(lines.filter((r) => r.check === "budgets").map((r) => r.status)).toEqual(["pass"]);
  });

  it("fails budgets below the reserve and warns on no data, reading each objective by name", () => {
    const lines = judge(found(NOW, { budgets: [0.05, null] })).filter((r) => r.check === "budgets");
    expect(lines.map((r) => [r.status, r.subject])).toEqual([
      ["fail", "a-availability"],
      ["warn", "1 objective(s)"],
    ]);
    expect(lines[0]?.message).toBe("a: 5% of the error budget left, reserve 10%");
    expect(lines[1]?.message).toBe("no data in the SLO window: b-latency (p99)");
  });
});
