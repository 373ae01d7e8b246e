import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CloudWatchQueryError } from "../errors.ts";
import { renameExpressionIds } from "./expression.ts";
import { choosePeriodSeconds, finestRetainedPeriodMs } from "./period.ts";

const NOW = Date.UTC(2026, 10, 20, 12, 0);
const DAY = 86_400_000;

describe("retained periods", () => {
  it("follows CloudWatch's retention tiers", () => {
    expect(finestRetainedPeriodMs(NOW - 14 * DAY, NOW)).toBe(60_000);
    expect(finestRetainedPeriodMs(NOW - 30 * DAY, NOW)).toBe(300_000);
    expect(finestRetainedPeriodMs(NOW - 100 * DAY, NOW)).toBe(3_600_000);
    expect(() => finestRetainedPeriodMs(NOW - 500 * DAY, NOW)).toThrow(CloudWatchQueryError);
  });

  it("accepts a step exactly when it is a multiple of the retained period", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(1, 5, 10, 60, 120),
        (days, stepMin) => {
          const stepMs = stepMin * 60_000;
          const startMs = Math.floor((NOW - days * DAY) / 3_600_000) * 3_600_000;
          const finest = finestRetainedPeriodMs(startMs, NOW);
          const range = { startMs, endMs: startMs + 24 * stepMs, stepMs };
          if (stepMs % finest === 0) expect(choosePeriodSeconds(range, NOW)).toBe(stepMin * 60);
          else
            expect(() => choosePeriodSeconds(range, NOW)).toThrow(/finer than CloudWatch retains/);
        },
      ),
    );
  });

  it("rejects ranges that are not whole steps", () => {
    expect(() =>
      choosePeriodSeconds({ startMs: NOW - 1000, endMs: NOW, stepMs: 60_000 }, NOW),
    ).toThrow(/whole number/);
  });
});

describe("renameExpressionIds", () => {
  it("renames ids but not function names or string contents", () => {
    const m = new Map([
      ["m1", "h0"],
      ["FILL", "bad"],
    ]);
    expect(renameExpressionIds("FILL(m1, 0) + SEARCH('m1', 'Sum') / m1", m)).toBe(
      "FILL(h0, 0) + SEARCH('m1', 'Sum') / h0",
    );
  });

  it("evaluates to the same value after renaming (property)", () => {
    const id = fc.constantFrom("a", "b", "m1", "m22", "x_y");
    const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
      e: fc.oneof(
        { depthSize: "small" },
        id,
        fc.integer({ min: 1, max: 9 }).map(String),
        fc
          .tuple(tie("e"), fc.constantFrom("+", "-", "*"), tie("e"))
          .map(([l, o, r]) => `(${l} ${o} ${r})`),
      ),
    })).e as fc.Arbitrary<string>;
    fc.assert(
      fc.property(
        expr,
        fc.dictionary(
          fc.constantFrom("a", "b", "m1", "m22", "x_y"),
          fc.integer({ min: -5, max: 5 }),
        ),
        (e, env) => {
          const names = ["a", "b", "m1", "m22", "x_y"];
          const values = names.map((n) => env[n] ?? 1);
          const rename = new Map(names.map((n, i) => [n, `q${i}`]));
          const renamed = renameExpressionIds(e, rename);
          const before = Function(...names, `return ${e};`)(...values);
          const after = Function(...names.map((_, i) => `q${i}`), `return ${renamed};`)(...values);
          expect(renamed).not.toMatch(/\b(a|b|m1|m22|x_y)\b/);
          expect(after).toBe(before);
        },
      ),
    );
  });
});
