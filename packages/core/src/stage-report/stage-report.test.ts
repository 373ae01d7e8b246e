import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideDeploy } from "../gate/decide.ts";
import type { SloDefinition } from "../spec/model.ts";
import { encodeStageReport, parseStageReport } from "./codec.ts";
import { gateObjectivesFromStageReport, staleness } from "./gate.ts";
import {
  buildStageReport,
  firingServices,
  objectiveAlertState,
  type StageReport,
  StageReportError,
  type StageReportObjective,
} from "./model.ts";

const STEP = 300_000;
const END = Date.UTC(2026, 11, 1, 12, 0);

const objectiveArb: fc.Arbitrary<StageReportObjective> = fc.record({
  service: fc.constantFrom("a-service", "b-service", "c-service"),
  slo: fc.string({ minLength: 1, maxLength: 12 }),
  objective: fc.string({ minLength: 1, maxLength: 6 }),
  target: fc.double({ min: 0.5, max: 0.99999, noNaN: true }),
  // + 0: JSON has no -0, and the gate reads -0 and 0 alike (both exhausted).
  sli: fc.option(
    fc.double({ min: 0, max: 1, noNaN: true }).map((v) => v + 0),
    { nil: null },
  ),
  budgetRemaining: fc.option(
    fc.double({ min: -50, max: 1, noNaN: true }).map((v) => v + 0),
    { nil: null },
  ),
  alertState: fc.constantFrom(0 as const, 1 as const, 2 as const, null),
});

const reportArb = fc
  .record({
    objectives: fc.array(objectiveArb, { maxLength: 30 }),
    failed: fc.array(fc.record({ name: fc.string(), reason: fc.string() }), { maxLength: 5 }),
  })
  .map((r) => buildStageReport({ stage: "prod", evaluatedAtMs: END, stepMs: STEP, ...r }));

function slo(name: string, service: string, objectives: string[]): SloDefinition {
  return {
    name,
    service,
    objectives: objectives.map((o) => ({ name: o, target: 0.999 })),
  } as unknown as SloDefinition;
}

function row(over: Partial<StageReportObjective>): StageReportObjective {
  return {
    service: "pay",
    slo: "pay-availability",
    objective: "availability",
    target: 0.999,
    sli: 0.9995,
    budgetRemaining: 0.5,
    alertState: 0,
    ...over,
  };
}

describe("stage report codec", () => {
  it("round-trips every report exactly", () => {
    fc.assert(
      fc.property(reportArb, (report) => {
        expect(parseStageReport(encodeStageReport(report), "t")).toEqual(report);
      }),
    );
  });

  it("is byte-identical whatever order the rows arrive in (shards finish in any order)", () => {
    fc.assert(
      fc.property(
        fc
          .array(objectiveArb, { maxLength: 20 })
          .chain((rows) =>
            fc.tuple(
              fc.constant(rows),
              fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
            ),
          ),
        ([rows, shuffled]) => {
          const a = buildStageReport({
            stage: "s",
            evaluatedAtMs: END,
            stepMs: STEP,
            objectives: rows,
            failed: [],
          });
          const b = buildStageReport({
            stage: "s",
            evaluatedAtMs: END,
            stepMs: STEP,
            objectives: shuffled,
            failed: [],
          });
          expect(encodeStageReport(b)).toBe(encodeStageReport(a));
        },
      ),
    );
  });

  it("refuses every truncation of a report instead of half-reading it", () => {
    fc.assert(
      fc.property(reportArb, fc.nat(), (report, at) => {
        const text = encodeStageReport(report);
        const cut = text.slice(0, at % text.length);
        expect(() => parseStageReport(cut, "s3://b/reports/stage.json")).toThrow(StageReportError);
      }),
    );
  });

  it("names the object, the field and the fix", () => {
    const good = JSON.parse(
      encodeStageReport(
        buildStageReport({
          stage: "p",
          evaluatedAtMs: END,
          stepMs: STEP,
          objectives: [row({})],
          failed: [],
        }),
      ),
    );
    const where = "s3://bucket/reports/stage.json";
    expect(() => parseStageReport(JSON.stringify({ ...good, version: 2 }), where)).toThrow(
      /s3:\/\/bucket\/reports\/stage.json is stage report version 2, this CLI reads version 1/,
    );
    const noBudget = { ...good, objectives: [{ ...good.objectives[0], budgetRemaining: "0.5" }] };
    expect(() => parseStageReport(JSON.stringify(noBudget), where)).toThrow(
      /reports\/stage.json: field objectives.0.budgetRemaining/,
    );
    const extra = { ...good, objectives: [{ ...good.objectives[0], alertState: 3 }] };
    expect(() => parseStageReport(JSON.stringify(extra), where)).toThrow(/objectives.0.alertState/);
    expect(() => parseStageReport("", where)).toThrow(/is not JSON \(0 bytes\)/);
  });
});

describe("firingServices", () => {
  it("is each service's worst state, and only services where a tier fires", () => {
    fc.assert(
      fc.property(fc.array(objectiveArb, { maxLength: 40 }), (rows) => {
        const out = firingServices(rows);
        for (const service of new Set(rows.map((r) => r.service))) {
          const worst = Math.max(
            0,
            ...rows.filter((r) => r.service === service).map((r) => r.alertState ?? 0),
          );
          expect(out.get(service)).toBe(worst > 0 ? worst : undefined);
        }
        expect([...out.keys()].every((s) => rows.some((r) => r.service === s))).toBe(true);
      }),
    );
  });

  it("reads no tier as no state, not as ok", () => {
    expect(objectiveAlertState({ alerts: [] })).toBeNull();
  });
});

describe("gate view of the stage report", () => {
  const defs = [slo("pay-availability", "pay", ["availability"])];
  const at = (rows: StageReportObjective[], failed: StageReport["failed"] = []) =>
    buildStageReport({ stage: "prod", evaluatedAtMs: END, stepMs: STEP, objectives: rows, failed });

  it("trusts a report up to exactly two steps old, and not a millisecond more", () => {
    const r = at([row({})]);
    expect(staleness(r, "prod", END + 2 * STEP)).toBeNull();
    expect(staleness(r, "prod", END + 2 * STEP + 1)).toMatch(/older than 2 steps/);
    fc.assert(
      fc.property(fc.integer({ min: 2 * STEP + 1, max: 30 * 86_400_000 }), (age) => {
        const view = gateObjectivesFromStageReport(r, defs, "prod", END + age);
        expect(decideDeploy(view, { noData: "allow" }).allowed).toBe(false);
      }),
    );
  });

  it("blocks on another stage's report and on one from the future", () => {
    const r = at([row({})]);
    expect(decideDeploy(gateObjectivesFromStageReport(r, defs, "staging", END)).allowed).toBe(
      false,
    );
    expect(staleness(r, "prod", END - 2 * STEP)).toMatch(/in the future/);
  });

  it("maps budget and state as the pager saw them", () => {
    const view = (over: Partial<StageReportObjective>) =>
      gateObjectivesFromStageReport(at([row(over)]), defs, "prod", END + 60_000)[0];
    expect(view({})).toEqual({
      slo: "pay-availability",
      objective: "availability",
      service: "pay",
      budgetRemaining: 0.5,
      firing: null,
    });
    expect(view({ alertState: 2 })?.firing).toBe("page");
    expect(view({ alertState: 1 })?.firing).toBe("ticket");
    expect(view({ alertState: null, budgetRemaining: null })?.budgetRemaining).toBeNull();
    expect(decideDeploy([view({ alertState: 2 }) as never]).allowed).toBe(false);
    expect(decideDeploy([view({ budgetRemaining: -0.1 }) as never]).allowed).toBe(false);
    expect(decideDeploy([view({}) as never]).allowed).toBe(true);
  });

  it("fails closed on an SLO the run could not evaluate, whatever --no-data says", () => {
    const r = at([], [{ name: "pay-availability", reason: "counts incomplete" }]);
    const view = gateObjectivesFromStageReport(r, defs, "prod", END);
    expect(view[0]?.untrusted).toMatch(/could not evaluate it .*counts incomplete/);
    expect(decideDeploy(view, { noData: "allow" }).allowed).toBe(false);
  });

  it("leaves an SLO the report does not know (new since the deploy) to the no-data policy", () => {
    const view = gateObjectivesFromStageReport(at([]), defs, "prod", END);
    expect(view[0]?.untrusted).toBeUndefined();
    expect(decideDeploy(view, { noData: "allow" }).allowed).toBe(true);
    expect(decideDeploy(view, { noData: "block" }).allowed).toBe(false);
  });
});
