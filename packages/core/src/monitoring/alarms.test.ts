import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateSlo } from "../slo/evaluate.ts";
import { DAY, MINUTE, makeCounts, makeDefinition } from "../slo/test-fixtures.ts";
import type { SloDefinition } from "../spec/model.ts";
import { STAGE_REPORT_KEY } from "../stage-report/model.ts";
import {
  type AlarmDefinition,
  AlarmDefinitionError,
  buildCanaryAlarm,
  buildFleetAlarms,
  buildJobAlarms,
  buildSloAlarms,
  evaluatorNotifiesConditions,
} from "./alarms.ts";
import { serviceAlertStateMetric } from "./metrics.ts";
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
      metricName: "ErrorBudgetRemaining",
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
    const all = buildFleetAlarms(fleetSlos(), {
      prefix: "slo-dev",
      stage: "dev",
      metrics: "full",
      topics,
    });
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

/**
 * A small model of how CloudWatch evaluates a single-metric alarm: per period the value
 * the service published (undefined = missing), then M of the last N periods against the
 * threshold, missing periods per `treatMissingData` ("ignore": keep the state).
 */
function simulate(
  alarm: AlarmDefinition,
  statesAt: (t: number) => Readonly<Record<string, number | undefined>>,
  periods: number,
): Array<"OK" | "ALARM"> {
  const ret = alarm.metricQueries.find((q) => q.returnData);
  if (!ret?.metric) throw new Error(`alarm ${alarm.name}: only single-metric alarms are modelled`);
  const service = ret.metric.dimensions.Service ?? "";
  const breach = (v: number) =>
    alarm.comparisonOperator === "GreaterThanOrEqualToThreshold"
      ? v >= alarm.threshold
      : v > alarm.threshold;
  const out: Array<"OK" | "ALARM"> = [];
  let state: "OK" | "ALARM" = "OK";
  for (let t = 0; t < periods; t++) {
    const window: Array<number | undefined> = [];
    for (let k = Math.max(0, t - alarm.evaluationPeriods + 1); k <= t; k++) {
      window.push(statesAt(k)[service]);
    }
    const present = window.filter((v): v is number => v !== undefined);
    if (present.length > 0 || alarm.treatMissingData !== "ignore") {
      const breaching = window.filter((v) =>
        v === undefined ? alarm.treatMissingData === "breaching" : breach(v),
      ).length;
      state = breaching >= alarm.datapointsToAlarm ? "ALARM" : "OK";
    }
    out.push(state);
  }
  return out;
}

describe("buildFleetAlarms, minimal metrics profile", () => {
  const slos = fleetSlos();
  const opts = { prefix: "slo-dev", stage: "dev", metrics: "minimal", topics } as const;
  const minimal = buildFleetAlarms(slos, { ...opts, burnRateActions: false });
  const metricCount = (alarms: readonly AlarmDefinition[]) =>
    alarms.reduce((n, a) => n + a.metricQueries.filter((q) => q.metric).length, 0);

  it("has no alarm per objective: one AlertState alarm per service and its canary alarm", () => {
    expect(minimal.filter((a) => a.slo !== undefined)).toEqual([]);
    expect(minimal.map((a) => a.kind).sort()).toEqual(
      [...FLEET_SERVICES.map(() => "alert-state"), ...FLEET_SERVICES.map(() => "canary")].sort(),
    );
    const read = minimal.flatMap((a) =>
      a.metricQueries.flatMap((q) => (q.metric ? [q.metric] : [])),
    );
    expect(read.some((m) => "SLO" in m.dimensions)).toBe(false);
    expect(new Set(read.map((m) => m.metricName))).toEqual(
      new Set(["AlertState", "SuccessPercent"]),
    );
    // Alarms bill per metric: 10 per objective in full (4 tiers x 2 windows, budget, no
    // data) against one per service here, plus the canaries in both.
    const full = buildFleetAlarms(slos, { ...opts, metrics: "full", burnRateActions: false });
    expect(metricCount(full)).toBe(40 * 10 + 10);
    expect(metricCount(minimal)).toBe(10 + 10);
  });

  it("alarms on the per-service AlertState at 2, silent, missing data not breaching", () => {
    for (const service of FLEET_SERVICES) {
      const alarm = minimal.find((a) => a.kind === "alert-state" && a.service === service)!;
      expect(alarm).toMatchObject({
        severity: "page",
        name: `slo-dev-${service}-alert-state`,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 2,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
        actionsEnabled: false,
        alarmActions: [],
        okActions: [],
      });
      expect(alarm.metricQueries).toEqual([
        {
          id: "state",
          label: `${service} AlertState`,
          returnData: true,
          metric: { ...serviceAlertStateMetric(service, "dev"), period: 300, stat: "Maximum" },
        },
      ]);
      expect(isValidAlarmName(alarm.name)).toBe(true);
      expect(alarm.alarmDescription.length).toBeLessThanOrEqual(1024);
      // One click to the per-SLO numbers: the stage report and the logged values.
      expect(alarm.alarmDescription).toContain(STAGE_REPORT_KEY);
      expect(alarm.alarmDescription).toContain(
        `message = "slo values" and sloService = "${service}"`,
      );
      expect(alarm.alarmDescription).toContain(`${service}-availability`);
    }
  });

  it("leaves budget exhausted and no data to the evaluator, and canary alarms notifying", () => {
    expect(evaluatorNotifiesConditions("minimal", true)).toBe(true);
    expect(evaluatorNotifiesConditions("minimal", false)).toBe(false);
    expect(evaluatorNotifiesConditions("full", true)).toBe(false);
    expect(minimal.filter((a) => a.actionsEnabled).map((a) => a.kind)).toEqual(
      FLEET_SERVICES.map(() => "canary"),
    );
  });

  it("refuses alarms as pager, naming the fix, and defaults to the evaluator as pager", () => {
    const refused = () => buildFleetAlarms(slos, { ...opts, burnRateActions: true });
    expect(refused).toThrow(AlarmDefinitionError);
    expect(refused).toThrow(/use metrics: "full" for pager: "alarms"/);
    expect(buildFleetAlarms(slos, opts)).toEqual(minimal);
    // full keeps its default: the tier alarms page.
    const full = buildFleetAlarms(slos, { ...opts, metrics: "full" });
    expect(full.filter((a) => a.kind === "burn-rate").every((a) => a.actionsEnabled)).toBe(true);
  });

  it("still checks every SLO's tiers", () => {
    const bad: SloDefinition = {
      ...slo,
      alertTiers: [{ ...(DEFAULT_TIERS[0] as (typeof DEFAULT_TIERS)[0]), burnRateThreshold: 0 }],
    };
    expect(() => buildFleetAlarms([bad], opts)).toThrow(/alertTiers\[0\]/);
  });

  it("is in ALARM exactly in the periods the service publishes 2, for any timeline", () => {
    const alarm = minimal.find((a) => a.service === "order-service" && a.kind === "alert-state")!;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(undefined, 1, 2), { minLength: 1, maxLength: 40 }),
        (published) => {
          const states = simulate(
            alarm,
            (t) => ({ "order-service": published[t] }),
            published.length,
          );
          expect(states).toEqual(published.map((v) => (v === 2 ? "ALARM" : "OK")));
        },
      ),
    );
  });
});

describe("no-data alarm proxy", () => {
  // The no-data alarm counts ErrorBudgetRemaining datapoints instead of SLI ones: that is
  // only the same alarm if the jobs have a budget figure exactly when they have an SLI.
  const STEP = 5 * MINUTE;
  const STEPS = (30 * DAY) / STEP;
  const START = Date.UTC(2026, 9, 1);
  it("has a remaining budget exactly when the objective has an SLI, for any traffic", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: STEPS - 1 }), fc.nat({ max: 500 }), fc.nat({ max: 500 })), {
          maxLength: 6,
        }),
        fc.constantFrom("Occurrences", "Timeslices", "RatioTimeslices") as fc.Arbitrary<
          SloDefinition["budgetingMethod"]
        >,
        (bursts, method) => {
          const at = new Map(bursts.map(([i, t, b]) => [i, [t, Math.min(t, b)] as const]));
          const counts = makeCounts(
            START,
            STEP,
            STEPS,
            (i) => at.get(i)?.[0] ?? 0,
            (i) => at.get(i)?.[1] ?? 0,
          );
          const def = makeDefinition({
            budgetingMethod: method,
            ...(method === "Occurrences"
              ? {}
              : { objective: { timeSliceTarget: 0.99, timeSliceWindowMs: STEP } }),
          });
          const report = evaluateSlo(def, [counts], START + STEPS * STEP);
          for (const o of report.objectives) {
            expect(o.errorBudget.remainingFraction === null).toBe(o.sli === null);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
