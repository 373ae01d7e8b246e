import { describe, expect, it } from "vitest";
import { checkJobs, checkPosture, DOCTOR_CHECKS, runDoctor } from "./checks.ts";
import type { StageDeclaration, StageObservation } from "./model.ts";

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
