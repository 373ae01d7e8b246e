import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ExpressionError,
  evaluateExpression,
  expressionIds,
  parseExpression,
} from "./expression.ts";

const LEN = 6;
const IDS = ["m1", "m2", "m3"] as const;

/** A random expression tree, kept as a reference evaluator plus its printed text. */
interface Ref {
  readonly text: string;
  readonly eval: (env: Record<string, number>) => number;
}

const refDiv = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);

const refArb: fc.Arbitrary<Ref> = fc.letrec<{ node: Ref }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc
      .constantFrom(...IDS)
      .map((id) => ({ text: id, eval: (env: Record<string, number>) => env[id] as number })),
    fc.integer({ min: 0, max: 20 }).map((n) => ({ text: String(n), eval: () => n })),
    fc.tuple(tie("node"), fc.constantFrom("+", "-", "*", "/"), tie("node")).map(([l, op, r]) => ({
      text: `(${l.text} ${op} ${r.text})`,
      eval: (env: Record<string, number>) => {
        const a = l.eval(env);
        const b = r.eval(env);
        return op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : refDiv(a, b);
      },
    })),
    tie("node").map((a) => ({
      text: `-${a.text}`,
      eval: (env: Record<string, number>) => -a.eval(env),
    })),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((items) => ({
      text: `SUM([${items.map((i) => i.text).join(", ")}])`,
      eval: (env: Record<string, number>) => items.reduce((s, i) => s + i.eval(env), 0),
    })),
  ),
})).node;

const valueArb = fc.oneof(
  fc.constant(Number.NaN),
  fc.constant(0),
  fc.double({ min: -1000, max: 1000, noNaN: true }),
);
const envArb = fc.record({
  m1: fc.array(valueArb, { minLength: LEN, maxLength: LEN }),
  m2: fc.array(valueArb, { minLength: LEN, maxLength: LEN }),
  m3: fc.array(valueArb, { minLength: LEN, maxLength: LEN }),
});

function sameNumber(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return a === b;
}

describe("metric-math evaluator", () => {
  it("matches a direct evaluation of random expression trees, NaN included", () => {
    fc.assert(
      fc.property(refArb, envArb, (ref, env) => {
        const series = Object.fromEntries(
          Object.entries(env).map(([k, v]) => [k, Float64Array.from(v)]),
        );
        const got = evaluateExpression(parseExpression(ref.text), (id) => series[id], LEN);
        for (let i = 0; i < LEN; i++) {
          const want = ref.eval({
            m1: env.m1[i] as number,
            m2: env.m2[i] as number,
            m3: env.m3[i] as number,
          });
          if (!sameNumber(got[i] as number, want)) return false;
        }
        return true;
      }),
      { numRuns: 400 },
    );
  });

  it("keeps no data as no data and never mutates its inputs", () => {
    fc.assert(
      fc.property(envArb, (env) => {
        const m1 = Float64Array.from(env.m1);
        const m2 = Float64Array.from(env.m2);
        const copy = Float64Array.from(m1);
        const out = evaluateExpression(
          parseExpression("m1 * 2 + m2"),
          (id) => (id === "m1" ? m1 : m2),
          LEN,
        );
        for (let i = 0; i < LEN; i++) {
          const missing = Number.isNaN(m1[i] as number) || Number.isNaN(m2[i] as number);
          if (missing !== Number.isNaN(out[i] as number)) return false;
        }
        return m1.every((v, i) => sameNumber(v, copy[i] as number));
      }),
    );
  });

  it("respects precedence and associativity", () => {
    const one = (src: string) => evaluateExpression(parseExpression(src), () => undefined, 1)[0];
    expect(one("1 + 2 * 3")).toBe(7);
    expect(one("10 - 4 - 3")).toBe(3);
    expect(one("12 / 3 / 2")).toBe(2);
    expect(one("-2 * -3")).toBe(6);
    expect(one("(1 + 2) * 3")).toBe(9);
    expect(one("1 / 0")).toBeNaN();
    expect(one("2.5e1")).toBe(25);
  });

  it("fills gaps with FILL(m, n) and FILL(m, REPEAT)", () => {
    const m = Float64Array.of(Number.NaN, 3, Number.NaN, Number.NaN, 5);
    const lookup = () => m;
    expect([...evaluateExpression(parseExpression("FILL(m, 0)"), lookup, 5)]).toEqual([
      0, 3, 0, 0, 5,
    ]);
    const rep = evaluateExpression(parseExpression("fill(m, REPEAT)"), lookup, 5);
    expect(rep[0]).toBeNaN();
    expect([...rep.slice(1)]).toEqual([3, 3, 3, 5]);
  });

  it("lists the ids an expression reads", () => {
    expect(expressionIds(parseExpression("FILL(m1, 0) + SUM([m2, m1]) / m3"))).toEqual([
      "m1",
      "m2",
      "m3",
    ]);
  });

  it.each([
    ["m1 + ", 6, "expected a number"],
    ["(m1 + m2", 9, 'expected ")"'],
    ["m1 $ m2", 4, 'unexpected character "$"'],
    ["m1 m2", 4, 'unexpected "m2"'],
    ["RATE(m1)", 1, "unsupported function RATE"],
    ["SUM(m1)", 1, "SUM([m1, m2])"],
    ["FILL(m1, m2)", 1, "FILL(m1, 0)"],
  ])("reports %s with the column of the bad token", (src, col, text) => {
    try {
      parseExpression(src);
      expect.fail("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      expect((error as ExpressionError).column).toBe(col);
      expect((error as Error).message).toContain(text);
      expect((error as Error).message).toContain(`"${src}"`);
    }
  });

  it("names an unknown id at evaluation", () => {
    expect(() =>
      evaluateExpression(
        parseExpression("m1 + m9"),
        (id) => (id === "m1" ? new Float64Array(2) : undefined),
        2,
        "m1 + m9",
      ),
    ).toThrow(/column 6: unknown id "m9"/);
  });
});
