import { describe, expect, it } from "vitest";
import { checkJobs, DOCTOR_CHECKS, runDoctor } from "./checks.ts";
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
    ]);
  });
});
