import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SloDefinition } from "../spec/model.ts";
import {
  decideDeploy,
  type GateObjective,
  GatePolicyError,
  untrustedObjectives,
} from "./decide.ts";

const objective = (over: Partial<GateObjective> = {}): GateObjective => ({
  slo: "order-service-availability",
  objective: "availability",
  service: "order-service",
  budgetRemaining: 0.5,
  firing: null,
  ...over,
});

describe("decideDeploy", () => {
  it("passes healthy objectives and blocks an exhausted budget", () => {
    expect(decideDeploy([objective()]).allowed).toBe(true);
    const d = decideDeploy([objective(), objective({ slo: "x", budgetRemaining: -0.2 })]);
    expect(d.allowed).toBe(false);
    expect(d.verdicts[1]).toMatchObject({ verdict: "block" });
    expect(d.verdicts[1]?.reasons[0]).toMatch(/exhausted \(-20\.0% left\)/);
  });

  it("keeps the configured reserve", () => {
    const low = [objective({ budgetRemaining: 0.08 })];
    expect(decideDeploy(low).allowed).toBe(true);
    const d = decideDeploy(low, { minBudgetRemaining: 0.1 });
    expect(d.allowed).toBe(false);
    expect(d.verdicts[0]?.reasons[0]).toMatch(/8\.0% of the budget left, below the 10\.0% reserve/);
  });

  it("blocks on a firing page, warns on a ticket, unless the policy says otherwise", () => {
    expect(decideDeploy([objective({ firing: "page" })]).allowed).toBe(false);
    const ticket = decideDeploy([objective({ firing: "ticket" })]);
    expect(ticket).toMatchObject({ allowed: true, verdicts: [{ verdict: "warn" }] });
    expect(decideDeploy([objective({ firing: "ticket" })], { blockOn: "ticket" }).allowed).toBe(
      false,
    );
    expect(decideDeploy([objective({ firing: "page" })], { blockOn: "none" }).allowed).toBe(true);
  });

  it("treats no data as unknown: a warning by default, a block on request", () => {
    const none = [objective({ budgetRemaining: null })];
    expect(decideDeploy(none)).toMatchObject({ allowed: true, verdicts: [{ verdict: "warn" }] });
    expect(decideDeploy(none, { noData: "block" }).allowed).toBe(false);
  });

  it("fails closed on untrusted data, whatever the no-data policy says", () => {
    const bad = objective({ budgetRemaining: null, untrusted: "impossible counts at 12:00" });
    for (const noData of ["allow", "block"] as const) {
      const d = decideDeploy([objective(), bad], { noData, blockOn: "none" });
      expect(d.allowed).toBe(false);
      expect(d.verdicts[1]?.reasons[0]).toMatch(/fails closed: impossible counts at 12:00/);
    }
  });

  it("rejects a reserve outside [0, 1] with the fix", () => {
    expect(() => decideDeploy([], { minBudgetRemaining: 10 })).toThrow(GatePolicyError);
    expect(() => decideDeploy([], { minBudgetRemaining: 10 })).toThrow(/e\.g\. 0\.1/);
  });

  it("is monotone: less budget or a more severe alert never turns a block into an allow", () => {
    const severity = fc.constantFrom<GateObjective["firing"]>(null, "ticket", "page");
    const rank = { null: 0, ticket: 1, page: 2 } as const;
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        severity,
        severity,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (budget, drop, a, b, reserve) => {
          const [less, more] = rank[`${a}`] <= rank[`${b}`] ? [a, b] : [b, a];
          const better = decideDeploy([objective({ budgetRemaining: budget, firing: less })], {
            minBudgetRemaining: reserve,
          });
          const worse = decideDeploy(
            [objective({ budgetRemaining: budget - drop, firing: more })],
            { minBudgetRemaining: reserve },
          );
          expect(!better.allowed && worse.allowed).toBe(false);
        },
      ),
    );
  });
});

describe("untrustedObjectives", () => {
  it("blocks every objective of every SLO, whatever the policy, with the reason on each", () => {
    const slo = (name: string, objectives: string[]) =>
      ({
        name,
        service: `${name}-service`,
        objectives: objectives.map((o) => ({ name: o })),
      }) as unknown as SloDefinition;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.record({
          minBudgetRemaining: fc.double({ min: 0, max: 1, noNaN: true }),
          blockOn: fc.constantFrom("page" as const, "ticket" as const, "none" as const),
          noData: fc.constantFrom("allow" as const, "block" as const),
        }),
        (names, perSlo, policy) => {
          const slos = names.map((n) =>
            slo(
              n,
              Array.from({ length: perSlo }, (_, i) => `o${i}`),
            ),
          );
          const rows = untrustedObjectives(slos, "no stage report at s3://b/reports/stage.json");
          expect(rows).toHaveLength(names.length * perSlo);
          const d = decideDeploy(rows, policy);
          expect(d.allowed).toBe(false);
          for (const v of d.verdicts) {
            expect(v.verdict).toBe("block");
            expect(v.reasons.join(" ")).toContain("no stage report at s3://b/reports/stage.json");
          }
        },
      ),
    );
  });
});
