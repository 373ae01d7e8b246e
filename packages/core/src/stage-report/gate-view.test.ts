import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideDeploy } from "../gate/decide.ts";
import type { SloDefinition } from "../spec/model.ts";
import { encodeStageReport, parseStageReport } from "./codec.ts";
import { gateObjectivesFromStageReport } from "./gate.ts";
import {
  ALERT_STATE_VALUE,
  type AlertStateValue,
  buildStageReport,
  STAGE_REPORT_MAX_AGE_STEPS,
  type StageReport,
} from "./model.ts";

const STEP = 300_000;
const NOW = Date.UTC(2026, 11, 1, 12, 2, 30);

/** Only what the gate view reads of a definition. */
const slo = (name: string, service: string, objectives: readonly string[]) =>
  ({ name, service, objectives: objectives.map((o) => ({ name: o })) }) as unknown as SloDefinition;

/** A report row per (SLO, objective) the test keeps, with its budget and alert state. */
const row = (
  s: SloDefinition,
  objective: string,
  budgetRemaining: number | null,
  alertState: AlertStateValue | null,
) => ({
  service: s.service,
  slo: s.name,
  objective,
  target: 0.99,
  sli: budgetRemaining === null ? null : 0.995,
  budgetRemaining,
  alertState,
});

/** Through the codec, as the gate reads it from S3. */
const roundTrip = (r: StageReport) => parseStageReport(encodeStageReport(r), "test");

describe("gateObjectivesFromStageReport (the gate's view of the stage report)", () => {
  const slos = [
    slo("a-availability", "a", ["availability"]),
    slo("a-latency", "a", ["p95", "p99"]),
    slo("b-availability", "b", ["availability"]),
  ];

  it("maps budgets and alert states per (SLO, objective); unknown SLOs are no data", () => {
    const [a, lat] = slos as [SloDefinition, SloDefinition];
    const report = roundTrip(
      buildStageReport({
        stage: "production",
        evaluatedAtMs: NOW - (NOW % STEP),
        stepMs: STEP,
        objectives: [
          row(a, "availability", 0.4, ALERT_STATE_VALUE.page),
          row(lat, "p95", 0.9, ALERT_STATE_VALUE.ticket),
          row(lat, "p99", null, null),
        ],
        failed: [],
      }),
    );
    const view = gateObjectivesFromStageReport(report, slos, "production", NOW);
    expect(view.map((o) => [o.slo, o.objective, o.budgetRemaining, o.firing, o.untrusted])).toEqual(
      [
        ["a-availability", "availability", 0.4, "page", undefined],
        ["a-latency", "p95", 0.9, "ticket", undefined],
        ["a-latency", "p99", null, null, undefined],
        ["b-availability", "availability", null, null, undefined],
      ],
    );
    expect(decideDeploy(view, { noData: "allow" }).allowed).toBe(false);
  });

  it("is untrusted (blocks whatever the policy) exactly when stale, of another stage, or failed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -4 * STEP, max: 8 * STEP }),
        fc.constantFrom("production", "staging"),
        fc.subarray(
          slos.map((s) => s.name),
          { maxLength: 2 },
        ),
        fc.constantFrom("allow" as const, "block" as const),
        (ageMs, stage, failedNames, noData) => {
          const report = roundTrip(
            buildStageReport({
              stage,
              evaluatedAtMs: NOW - ageMs,
              stepMs: STEP,
              objectives: slos
                .filter((s) => !failedNames.includes(s.name))
                .flatMap((s) => s.objectives.map((o) => row(s, o.name, 0.8, 0))),
              failed: failedNames.map((name) => ({ name, reason: "metric missing" })),
            }),
          );
          const view = gateObjectivesFromStageReport(report, slos, "production", NOW);
          // Every declared objective once, in declaration order, whatever the report holds.
          expect(view.map((o) => `${o.slo}/${o.objective}`)).toEqual(
            slos.flatMap((s) => s.objectives.map((o) => `${s.name}/${o.name}`)),
          );
          const fresh =
            stage === "production" && ageMs <= STAGE_REPORT_MAX_AGE_STEPS * STEP && ageMs >= -STEP;
          for (const o of view) {
            const untrusted = !fresh || failedNames.includes(o.slo);
            expect(o.untrusted !== undefined, `${o.slo} age ${ageMs} ${stage}`).toBe(untrusted);
          }
          const allowed = decideDeploy(view, { noData }).allowed;
          expect(allowed).toBe(fresh && failedNames.length === 0);
        },
      ),
    );
  });
});
