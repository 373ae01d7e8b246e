import { describe, expect, it } from "vitest";
import type { SloDefinition } from "../spec/model.ts";
import {
  AlarmDefinitionError,
  buildCanaryAlarm,
  buildFleetAlarms,
  buildJobAlarms,
  buildSloAlarms,
} from "./alarms.ts";
import { canaryName, isValidAlarmName } from "./names.ts";
import { DEFAULT_TIERS, FLEET_SERVICES, fleetSlos, serviceSlos } from "./test-fixtures.ts";

const topics = {
  page: "arn:aws:sns:eu-west-1:111111111111:page",
  ticket: "arn:aws:sns:eu-west-1:111111111111:ticket",
};
const slo = serviceSlos("order-service")[0] as SloDefinition;

describe("buildSloAlarms", () => {
  const alarms = buildSloAlarms(slo, { prefix: "slo-production", stage: "production", topics });
  const burn = alarms.filter((a) => a.kind === "burn-rate");

  it("builds one burn-rate alarm per tier, plus budget exhausted and no data", () => {
    expect(burn).toHaveLength(slo.alertTiers.length);
    expect(alarms.map((a) => a.kind).sort()).toEqual(
      ["budget-exhausted", "burn-rate", "burn-rate", "burn-rate", "burn-rate", "no-data"].sort(),
    );
  });

  it("keeps burn-rate alarms silent when the evaluator pages, and every other kind notifying", () => {
    expect(alarms.every((a) => a.actionsEnabled)).toBe(true);
    const quiet = buildSloAlarms(slo, { stage: "production", topics, burnRateActions: false });
    for (const a of quiet) expect(a.actionsEnabled).toBe(a.kind !== "burn-rate");
  });

  it("uses each tier's own threshold and severity", () => {
    expect(burn.map((a) => a.threshold)).toEqual(slo.alertTiers.map((t) => t.burnRateThreshold));
    expect(burn.map((a) => a.threshold)).toEqual([14.4, 6, 3, 1]);
    expect(burn.map((a) => a.severity)).toEqual(["page", "page", "ticket", "ticket"]);
  });

  it("routes severities to the matching SNS topic (alarm and OK)", () => {
    for (const a of alarms) {
      expect(a.alarmActions).toEqual([topics[a.severity]]);
      expect(a.okActions).toEqual([topics[a.severity]]);
    }
    const quiet = buildSloAlarms(slo, { stage: "production", topics, notifyOnOk: false });
    expect(quiet.every((a) => a.okActions.length === 0)).toBe(true);
  });

  it("alarms on MIN(long, short) of the BurnRate metric with the Window dimension", () => {
    const first = burn[0];
    expect(first?.comparisonOperator).toBe("GreaterThanThreshold");
    const q = first?.metricQueries ?? [];
    const expr = q.find((m) => m.returnData);
    expect(expr?.expression).toBe("MIN([long, short])");
    expect(q.filter((m) => m.returnData)).toHaveLength(1);
    const long = q.find((m) => m.id === "long")?.metric;
    const short = q.find((m) => m.id === "short")?.metric;
    expect(long).toMatchObject({
      namespace: "Custom/SLO",
      metricName: "BurnRate",
      dimensions: {
        Stage: "production",
        Service: "order-service",
        SLO: "order-service-availability",
        Window: "1h",
      },
      period: 300,
    });
    expect(short?.dimensions.Window).toBe("5m");
    expect(
      burn.map((a) => a.metricQueries.find((m) => m.id === "long")?.metric?.dimensions.Window),
    ).toEqual(["1h", "6h", "1d", "3d"]);
    // metric-query ids must start with a lower-case letter
    for (const a of alarms)
      for (const m of a.metricQueries) expect(m.id).toMatch(/^[a-z][A-Za-z0-9_]*$/);
  });

  it("fires budget exhausted at ErrorBudgetRemaining <= 0 and no data on a missing SLI", () => {
    const budget = alarms.find((a) => a.kind === "budget-exhausted");
    expect(budget).toMatchObject({
      comparisonOperator: "LessThanOrEqualToThreshold",
      threshold: 0,
    });
    expect(budget?.metricQueries[0]?.metric?.metricName).toBe("ErrorBudgetRemaining");
    const noData = alarms.find((a) => a.kind === "no-data");
    expect(noData).toMatchObject({
      treatMissingData: "breaching",
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    });
    expect(noData?.metricQueries[0]?.metric).toMatchObject({
      metricName: "SLI",
      stat: "SampleCount",
    });
    // Late EMF data keeps the state (ignore) and needs 2 of 3 periods: no flapping.
    expect(burn.every((a) => a.treatMissingData === "ignore")).toBe(true);
    expect(burn.every((a) => a.evaluationPeriods === 3 && a.datapointsToAlarm === 2)).toBe(true);
    expect(budget).toMatchObject({ evaluationPeriods: 3, datapointsToAlarm: 2 });
  });

  it("produces valid, prefixed names and descriptions within CloudWatch limits", () => {
    for (const a of alarms) {
      expect(isValidAlarmName(a.name)).toBe(true);
      expect(a.name.startsWith("slo-production-order-service-availability-")).toBe(true);
      expect(a.alarmDescription.length).toBeLessThanOrEqual(1024);
      expect(a.tags).toMatchObject({ Service: "order-service", SLO: slo.name });
    }
    expect(burn[0]?.alarmDescription).toContain("14.4");
  });

  it("rejects a tier with an unusable threshold, naming the file and field", () => {
    const bad: SloDefinition = {
      ...slo,
      alertTiers: [
        { ...(DEFAULT_TIERS[0] as (typeof DEFAULT_TIERS)[0]), burnRateThreshold: Number.NaN },
      ],
    };
    expect(() => buildSloAlarms(bad, { stage: "production", topics })).toThrow(
      AlarmDefinitionError,
    );
    expect(() => buildSloAlarms(bad, { stage: "production", topics })).toThrow(
      /slos\/order-service\.yaml:1.*alertTiers\[0\]/,
    );
  });

  it("rejects tiers whose names collide after sanitising", () => {
    const t = DEFAULT_TIERS[0] as (typeof DEFAULT_TIERS)[0];
    const clash: SloDefinition = {
      ...slo,
      alertTiers: [
        { ...t, name: "page 1" },
        { ...t, name: "page/1" },
      ],
    };
    expect(() => buildSloAlarms(clash, { stage: "production", topics })).toThrow(
      /would both be named/,
    );
  });
});

describe("buildCanaryAlarm", () => {
  it("alarms when SuccessPercent < 90 in 2 of 3 runs, paging", () => {
    const a = buildCanaryAlarm("notification-service", { stage: "production", topics });
    expect(a).toMatchObject({
      kind: "canary",
      severity: "page",
      comparisonOperator: "LessThanThreshold",
      threshold: 90,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      alarmActions: [topics.page],
    });
    expect(a.metricQueries[0]?.metric).toMatchObject({
      namespace: "CloudWatchSynthetics",
      metricName: "SuccessPercent",
      dimensions: { CanaryName: canaryName("notification-service", "production") },
    });
  });
});

describe("buildFleetAlarms", () => {
  it("builds 6 alarms per SLO and a canary alarm per service, all names unique", () => {
    const all = buildFleetAlarms(fleetSlos(), { prefix: "slo-dev", stage: "dev", topics });
    expect(all).toHaveLength(40 * 6 + FLEET_SERVICES.length);
    expect(new Set(all.map((a) => a.name)).size).toBe(all.length);
    expect(all.filter((a) => a.severity === "page")).toHaveLength(40 * 2 + 10);
  });

  it("carries through any topic reference type (e.g. infra outputs)", () => {
    const refs = { page: { ref: 1 }, ticket: { ref: 2 } };
    const [first] = buildSloAlarms(slo, { stage: "production", topics: refs });
    expect(first?.alarmActions[0]).toBe(refs.page);
  });
});

describe("buildJobAlarms", () => {
  const jobs = [
    {
      job: "slo-calculator",
      functionName: "dev-SloCalculator-fn",
      namespace: "Custom/SLO",
      service: "SloCalculator",
      periodSeconds: 300,
    },
  ];
  const alarms = buildJobAlarms(jobs, { prefix: "slo-dev", stage: "dev", topics });

  it("builds Errors, heartbeat and JobErrors alarms that page", () => {
    expect(alarms.map((a) => a.kind)).toEqual(["job-errors", "job-heartbeat", "job-unit-errors"]);
    for (const a of alarms) {
      expect(a.severity).toBe("page");
      expect(a.alarmActions).toEqual([topics.page]);
      expect(a.actionsEnabled).toBe(true);
      expect(isValidAlarmName(a.name)).toBe(true);
    }
  });

  it("reads the Lambda's Errors and the job's own metrics with the stage", () => {
    const [errors, heartbeat, unitErrors] = alarms;
    expect(errors?.metricQueries[0]?.metric).toEqual({
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: "dev-SloCalculator-fn" },
      period: 300,
      stat: "Sum",
    });
    expect(heartbeat?.metricQueries[0]?.metric).toMatchObject({
      namespace: "Custom/SLO",
      metricName: "JobUnitsSucceeded",
      dimensions: { Stage: "dev", service: "SloCalculator" },
    });
    // Silence for three runs is the heartbeat's condition; the others do not fire on it.
    expect(heartbeat).toMatchObject({
      treatMissingData: "breaching",
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
    });
    expect(errors?.treatMissingData).toBe("notBreaching");
    expect(unitErrors?.treatMissingData).toBe("ignore");
    expect(unitErrors?.metricQueries[0]?.metric?.dimensions).toEqual({
      Stage: "dev",
      service: "SloCalculator",
    });
  });

  it("refuses an empty stage with a fix", () => {
    expect(() => buildJobAlarms(jobs, { stage: " ", topics })).toThrow(/--stage/);
  });
});
