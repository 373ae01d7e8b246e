import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RollbackError } from "./errors.ts";
import { chooseRollbackTarget, parseTaskDefinitionArn } from "./rollback-target.ts";

const arn = (family: string, rev: number) =>
  `arn:aws:ecs:eu-west-1:111122223333:task-definition/${family}:${rev}`;

describe("parseTaskDefinitionArn", () => {
  it("reads family and revision, also in other partitions", () => {
    expect(parseTaskDefinitionArn(arn("order-service", 12))).toMatchObject({
      family: "order-service",
      revision: 12,
    });
    expect(
      parseTaskDefinitionArn("arn:aws-cn:ecs:cn-north-1:111122223333:task-definition/a_b:3"),
    ).toMatchObject({ family: "a_b", revision: 3 });
  });

  it("rejects what is not a revision ARN, naming the field", () => {
    for (const bad of [
      "order-service:3",
      arn("order-service", 0),
      "arn:aws:ecs:eu-west-1:111122223333:task-definition/order-service",
      "arn:aws:ecs:eu-west-1:111122223333:service/fleet/order-service",
    ]) {
      expect(() => parseTaskDefinitionArn(bad, "current task definition")).toThrow(
        /current task definition ".*" is not a task definition revision ARN; expected arn:aws:ecs:/,
      );
    }
  });
});

describe("chooseRollbackTarget", () => {
  it("takes the newest ACTIVE revision older than the current one", () => {
    const listed = [arn("web", 9), arn("web", 8), arn("web", 5), arn("web", 2)];
    expect(chooseRollbackTarget(arn("web", 9), listed)).toBe(arn("web", 8));
    // Revisions 7 and 8 deregistered: skip to 5.
    expect(chooseRollbackTarget(arn("web", 9), [arn("web", 9), arn("web", 5)])).toBe(arn("web", 5));
    // The current revision itself may be deregistered already.
    expect(chooseRollbackTarget(arn("web", 6), [arn("web", 8), arn("web", 5)])).toBe(arn("web", 5));
  });

  it("ignores other families that a familyPrefix listing also returns", () => {
    const listed = [arn("web-admin", 40), arn("web", 3), arn("web-admin", 2), arn("web", 1)];
    expect(chooseRollbackTarget(arn("web", 3), listed)).toBe(arn("web", 1));
  });

  it("honours an explicit revision and refuses a missing or current one", () => {
    const listed = [arn("web", 9), arn("web", 8), arn("web", 5)];
    expect(chooseRollbackTarget(arn("web", 9), listed, 5)).toBe(arn("web", 5));
    expect(() => chooseRollbackTarget(arn("web", 9), listed, 7)).toThrow(
      /revision 7 of "web" is not ACTIVE .*ACTIVE revisions: 5, 8, 9/,
    );
    expect(() => chooseRollbackTarget(arn("web", 9), listed, 9)).toThrow(
      /revision 9 is the one "web" already runs/,
    );
    expect(() => chooseRollbackTarget(arn("web", 9), listed, 0)).toThrow(RollbackError);
  });

  it("explains when there is nothing older or the family is wrong", () => {
    expect(() => chooseRollbackTarget(arn("web", 1), [arn("web", 1)])).toThrow(
      /"web" has no ACTIVE revision older than 1 .*ACTIVE: 1/,
    );
    expect(() => chooseRollbackTarget(arn("web", 4), [])).toThrow(/ACTIVE: none/);
    expect(() => chooseRollbackTarget(arn("web", 4), [arn("api", 3), arn("api", 2)])).toThrow(
      /none of the 2 listed revisions belong to family "web" \(found: api\)/,
    );
    expect(() => chooseRollbackTarget("web:4", [arn("web", 3)])).toThrow(RollbackError);
    expect(() => chooseRollbackTarget(arn("web", 4), ["garbage"])).toThrow(
      /listed task definition "garbage"/,
    );
  });

  it("property: the target is the same family, ACTIVE, older than current and the newest such", () => {
    const revisionUniverse = fc.uniqueArray(
      fc.record({
        family: fc.constantFrom("web", "web-admin", "api"),
        revision: fc.integer({ min: 1, max: 60 }),
        active: fc.boolean(),
      }),
      { selector: (r) => `${r.family}:${r.revision}`, maxLength: 40 },
    );
    fc.assert(
      fc.property(revisionUniverse, fc.integer({ min: 1, max: 60 }), (all, currentRev) => {
        const current = arn("web", currentRev);
        const listed = all.filter((r) => r.active).map((r) => arn(r.family, r.revision));
        const older = all
          .filter((r) => r.active && r.family === "web" && r.revision < currentRev)
          .map((r) => r.revision);
        let target: string;
        try {
          target = chooseRollbackTarget(current, listed);
        } catch (e) {
          expect(e).toBeInstanceOf(RollbackError);
          expect(older).toEqual([]);
          return;
        }
        const t = parseTaskDefinitionArn(target);
        expect(t.family).toBe("web");
        expect(listed).toContain(target);
        expect(t.revision).toBeLessThan(currentRev);
        expect(t.revision).toBe(Math.max(...older));
      }),
      { numRuns: 300 },
    );
  });
});
