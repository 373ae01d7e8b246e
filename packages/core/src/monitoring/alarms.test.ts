import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateSlo } from "../slo/evaluate.ts";
import { DAY, MINUTE, makeCounts, makeDefinition } from "../slo/test-fixtures.ts";
import type { SloDefinition } from "../spec/model.ts";
import {
  type AlarmDefinition,
  AlarmDefinitionError,
  buildCanaryAlarm,
  buildFleetAlarms,
  buildJobAlarms,
  buildSloAlarms,
  evaluatorNotifiesConditions,
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
 * A small model of how CloudWatch evaluates the alarms built here: per period, the
 * returned query (a metric, `IF(state == k, 1, 0)` or `MAX([...])`) from the AlertState
 * each SLO published (undefined = missing), then M of the last N periods against the
 * threshold, missing periods per `treatMissingData` ("ignore": keep the state).
 */
function simulate(
  alarm: AlarmDefinition,
  statesAt: (t: number) => Readonly<Record<string, number | undefined>>,
  periods: number,
): Array<"OK" | "ALARM"> {
  const value = (t: number): number | undefined => {
    const states = statesAt(t);
    const metric = (id: string) => {
      const q = alarm.metricQueries.find((m) => m.id === id);
      return states[q?.metric?.dimensions.SLO ?? ""];
    };
    const ret = alarm.metricQueries.find((q) => q.returnData)!;
    if (ret.metric) return states[ret.metric.dimensions.SLO ?? ""];
    const expr = ret.expression ?? "";
    const ifm = /^IF\((\w+) == (\d), 1, 0\)$/.exec(expr);
    if (ifm) {
      const v = metric(ifm[1]!);
      return v === undefined ? undefined : v === Number(ifm[2]) ? 1 : 0;
    }
    const maxm = /^MAX\(\[(.*)\]\)$/.exec(expr);
    if (maxm) {
      const vs = maxm[1]!
        .split(", ")
        .map(metric)
        .filter((v): v is number => v !== undefined);
      return vs.length ? Math.max(...vs) : undefined;
    }
    throw new Error(`expression ${expr} not modelled`);
  };
  const breach = (v: number) =>
    alarm.comparisonOperator === "GreaterThanOrEqualToThreshold"
      ? v >= alarm.threshold
      : v > alarm.threshold;
  const out: Array<"OK" | "ALARM"> = [];
  let state: "OK" | "ALARM" = "OK";
  for (let t = 0; t < periods; t++) {
    const window: Array<number | undefined> = [];
    for (let k = Math.max(0, t - alarm.evaluationPeriods + 1); k <= t; k++) window.push(value(k));
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

/** Notifications an alarm sends: one per transition into ALARM. */
const firings = (states: Array<"OK" | "ALARM">) =>
  states.filter((s, i) => s === "ALARM" && states[i - 1] !== "ALARM").length;

describe("buildFleetAlarms, minimal metrics profile", () => {
  const slos = fleetSlos();
  const evaluatorPages = buildFleetAlarms(slos, {
    prefix: "slo-dev",
    stage: "dev",
    metrics: "minimal",
    topics,
    burnRateActions: false,
  });
  const alarmsPage = buildFleetAlarms(slos, {
    prefix: "slo-dev",
    stage: "dev",
    metrics: "minimal",
    topics,
  });
  const metricCount = (alarms: readonly AlarmDefinition[]) =>
    alarms.reduce((n, a) => n + a.metricQueries.filter((q) => q.metric).length, 0);

  it("reads only ErrorBudgetRemaining and AlertState, never BurnRate or SLI", () => {
    const names = (all: readonly AlarmDefinition[]) =>
      new Set(
        all.flatMap((a) => a.metricQueries.flatMap((q) => (q.metric ? [q.metric.metricName] : []))),
      );
    expect(names(alarmsPage)).toEqual(
      new Set(["ErrorBudgetRemaining", "AlertState", "SuccessPercent"]),
    );
    expect(names(evaluatorPages)).toEqual(new Set(["AlertState", "SuccessPercent"]));
  });

  it("evaluator as pager: per-service AlertState alarms, silent, naming their SLOs", () => {
    const state = evaluatorPages.filter((a) => a.kind === "alert-state");
    expect(state).toHaveLength(FLEET_SERVICES.length);
    for (const a of state) {
      expect(a.actionsEnabled).toBe(false);
      expect(a.metricQueries.filter((q) => q.metric).length).toBeLessThanOrEqual(10);
    }
    const order = state.find((a) => a.service === "order-service")!;
    expect(order.alarmDescription).toContain("order-service-availability");
    // One click to the per-SLO view: the stage dashboard infra names the same way.
    expect(order.alarmDescription).toContain("dashboard slo-dev-slos (Service order-service)");
    // Budget exhausted and no data are the evaluator's tickets (it keeps their state and
    // sends each change once, see burn-rate-evaluator.test.ts); canary alarms notify.
    expect(evaluatorNotifiesConditions("minimal", true)).toBe(true);
    expect(evaluatorPages.filter((a) => a.kind === "budget-exhausted")).toHaveLength(0);
    expect(evaluatorPages.filter((a) => a.kind === "no-data")).toHaveLength(0);
    expect(evaluatorPages.filter((a) => a.actionsEnabled)).toHaveLength(10);
    // The alarms page: no evaluator tickets, so every per-objective alarm stays.
    expect(evaluatorNotifiesConditions("minimal", false)).toBe(false);
    expect(evaluatorNotifiesConditions("full", true)).toBe(false);
    expect(alarmsPage.filter((a) => a.kind === "budget-exhausted")).toHaveLength(40);
    expect(alarmsPage.filter((a) => a.kind === "no-data")).toHaveLength(40);
    // Fewer alarms and alarm metrics than one burn-rate alarm per tier.
    const full = buildFleetAlarms(slos, {
      stage: "dev",
      metrics: "full",
      topics,
      burnRateActions: false,
    });
    expect(evaluatorPages.length).toBeLessThan(full.length);
    // Alarms bill per metric: 10 per objective in full (4 tiers x 2 windows, budget,
    // no data) against 1 here (AlertState once in its service's alarm) and 4 when the
    // alarms page (AlertState page + ticket, budget, no data), plus the canaries.
    expect(metricCount(full)).toBe(40 * 10 + 10);
    expect(metricCount(evaluatorPages)).toBe(40 * 1 + 10);
    expect(metricCount(alarmsPage)).toBe(40 * 4 + 10);
  });

  it("splits a service with more than 10 objectives over several alarms", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      ...slo,
      name: `order-service-slo-${i}`,
    }));
    const state = buildFleetAlarms(many, {
      stage: "dev",
      metrics: "minimal",
      topics,
      burnRateActions: false,
    }).filter((a) => a.kind === "alert-state");
    expect(state).toHaveLength(2);
    const watched = state.flatMap((a) =>
      a.metricQueries.flatMap((q) => (q.metric ? [q.metric.dimensions.SLO] : [])),
    );
    expect(watched.sort()).toEqual(many.map((s) => s.name).sort());
  });

  it("alarms as pager: every burn pages (or tickets) once, per SLO, never both", () => {
    const state = alarmsPage.filter((a) => a.kind === "alert-state");
    expect(state).toHaveLength(40 * 2);
    expect(state.every((a) => a.actionsEnabled)).toBe(true);
    const a = "order-service-availability";
    const b = "order-service-latency-p99";
    // A starts a page burn at t=2, B at t=5 while A still burns, A ends at t=8; B had a
    // ticket burn before its page; one datapoint of A arrives late (missing at t=4).
    const timeline = (t: number): Record<string, number | undefined> => ({
      [a]: t === 4 ? undefined : t >= 2 && t < 8 ? 2 : 0,
      [b]: t >= 5 ? 2 : t >= 3 ? 1 : 0,
    });
    const alarmOf = (sloName: string, severity: string) =>
      state.find((x) => x.slo === sloName && x.severity === severity)!;
    const aPage = simulate(alarmOf(a, "page"), timeline, 12);
    const bPage = simulate(alarmOf(b, "page"), timeline, 12);
    const bTicket = simulate(alarmOf(b, "ticket"), timeline, 12);
    const aTicket = simulate(alarmOf(a, "ticket"), timeline, 12);
    expect(firings(aPage)).toBe(1); // the late datapoint did not flap it
    expect(aPage[2]).toBe("ALARM"); // no delay on the first firing period
    expect(aPage[9]).toBe("OK"); // clears after two quiet periods
    expect(firings(bPage)).toBe(1); // B pages although A's burn is still firing
    expect(firings(bTicket)).toBe(1);
    expect(firings(aTicket)).toBe(0); // a page burn files no ticket
    // Per service, B's page would have been swallowed by A's: that is why these are per SLO.
    const perService = evaluatorPages.find(
      (x) => x.kind === "alert-state" && x.service === "order-service",
    )!;
    expect(firings(simulate(perService, timeline, 12))).toBe(1);
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
