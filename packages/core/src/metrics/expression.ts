/**
 * A small, safe evaluator for the CloudWatch metric-math subset SLOs use: ids, numbers,
 * `+ - * /`, unary minus, parentheses, `SUM([a, b, ..])` and `FILL(m, 0|n|REPEAT)`.
 * Values are per-step series; `NaN` is "no data" and propagates (except through FILL),
 * and division by zero gives `NaN` rather than Infinity so it reads as no data.
 */

import { SloPlatformError } from "../errors.ts";

/** Thrown for an expression that cannot be parsed or evaluated. */
export class ExpressionError extends SloPlatformError {
  readonly expression: string;
  /** 1-based column of the offending token (0 when not tied to one). */
  readonly column: number;
  constructor(expression: string, column: number, problem: string, options?: ErrorOptions) {
    const where = column > 0 ? ` at column ${column}` : "";
    super(`metric-math expression "${expression}"${where}: ${problem}`, "input", options);
    this.name = "ExpressionError";
    this.expression = expression;
    this.column = column;
  }
}

export type BinaryOp = "+" | "-" | "*" | "/";

export type ExprNode =
  | { readonly type: "num"; readonly value: number; readonly col: number }
  | { readonly type: "id"; readonly name: string; readonly col: number }
  | { readonly type: "neg"; readonly arg: ExprNode; readonly col: number }
  | {
      readonly type: "bin";
      readonly op: BinaryOp;
      readonly left: ExprNode;
      readonly right: ExprNode;
      readonly col: number;
    }
  | { readonly type: "array"; readonly items: readonly ExprNode[]; readonly col: number }
  | { readonly type: "repeat"; readonly col: number }
  | {
      readonly type: "call";
      readonly fn: "SUM" | "FILL";
      readonly args: readonly ExprNode[];
      readonly col: number;
    };

interface Token {
  readonly kind: "num" | "word" | "punct" | "end";
  readonly text: string;
  readonly col: number;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(rest);
    if (num) {
      tokens.push({ kind: "num", text: num[0], col: i + 1 });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (word) {
      tokens.push({ kind: "word", text: word[0], col: i + 1 });
      i += word[0].length;
      continue;
    }
    if ("+-*/(),[]".includes(c)) {
      tokens.push({ kind: "punct", text: c, col: i + 1 });
      i++;
      continue;
    }
    throw new ExpressionError(
      src,
      i + 1,
      `unexpected character "${c}": use ids, numbers, + - * /, parentheses, SUM([..]) or FILL(m, 0)`,
    );
  }
  tokens.push({ kind: "end", text: "end of expression", col: src.length + 1 });
  return tokens;
}

class Parser {
  private pos = 0;
  private readonly src: string;
  private readonly tokens: Token[];
  constructor(src: string) {
    this.src = src;
    this.tokens = tokenize(src);
  }

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "end") this.pos++;
    return t;
  }

  private fail(t: Token, problem: string): never {
    throw new ExpressionError(this.src, t.col, problem);
  }

  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text || t.kind === "end") this.fail(t, `expected "${text}", found "${t.text}"`);
    return t;
  }

  parseAll(): ExprNode {
    const node = this.sum();
    const t = this.peek();
    if (t.kind !== "end") this.fail(t, `unexpected "${t.text}": expected an operator or the end`);
    return node;
  }

  private sum(): ExprNode {
    let left = this.product();
    for (;;) {
      const t = this.peek();
      if (t.kind !== "punct" || (t.text !== "+" && t.text !== "-")) return left;
      this.next();
      left = { type: "bin", op: t.text, left, right: this.product(), col: t.col };
    }
  }

  private product(): ExprNode {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== "punct" || (t.text !== "*" && t.text !== "/")) return left;
      this.next();
      left = { type: "bin", op: t.text, left, right: this.unary(), col: t.col };
    }
  }

  private unary(): ExprNode {
    const t = this.peek();
    if (t.kind === "punct" && t.text === "-") {
      this.next();
      return { type: "neg", arg: this.unary(), col: t.col };
    }
    if (t.kind === "punct" && t.text === "+") {
      this.next();
      return this.unary();
    }
    return this.primary();
  }

  private primary(): ExprNode {
    const t = this.next();
    if (t.kind === "num") return { type: "num", value: Number(t.text), col: t.col };
    if (t.kind === "punct" && t.text === "(") {
      const inner = this.sum();
      this.expect(")");
      return inner;
    }
    if (t.kind === "punct" && t.text === "[") return this.array(t);
    if (t.kind === "word") {
      const upper = t.text.toUpperCase();
      const after = this.peek();
      if (after.kind === "punct" && after.text === "(") {
        if (upper !== "SUM" && upper !== "FILL") {
          this.fail(
            t,
            `unsupported function ${t.text}: only SUM([..]) and FILL(m, value) are known`,
          );
        }
        this.next();
        const args: ExprNode[] = [];
        if (!(this.peek().kind === "punct" && this.peek().text === ")")) {
          args.push(this.argument());
          while (this.peek().kind === "punct" && this.peek().text === ",") {
            this.next();
            args.push(this.argument());
          }
        }
        this.expect(")");
        return this.checkCall(upper, args, t);
      }
      if (upper === "REPEAT") return { type: "repeat", col: t.col };
      return { type: "id", name: t.text, col: t.col };
    }
    return this.fail(t, `unexpected "${t.text}": expected a number, an id or "("`);
  }

  private argument(): ExprNode {
    const t = this.peek();
    if (t.kind === "punct" && t.text === "[") {
      this.next();
      return this.array(t);
    }
    return this.sum();
  }

  private array(open: Token): ExprNode {
    const items: ExprNode[] = [this.sum()];
    while (this.peek().kind === "punct" && this.peek().text === ",") {
      this.next();
      items.push(this.sum());
    }
    this.expect("]");
    return { type: "array", items, col: open.col };
  }

  private checkCall(fn: "SUM" | "FILL" | string, args: ExprNode[], t: Token): ExprNode {
    if (fn === "SUM") {
      if (args.length !== 1 || args[0]?.type !== "array") {
        this.fail(t, "SUM takes one array of series: write SUM([m1, m2])");
      }
      return { type: "call", fn: "SUM", args, col: t.col };
    }
    const [, fill] = args;
    if (
      args.length !== 2 ||
      fill === undefined ||
      (fill.type !== "num" && fill.type !== "repeat")
    ) {
      this.fail(
        t,
        "FILL takes a series and a number or REPEAT: write FILL(m1, 0) or FILL(m1, REPEAT)",
      );
    }
    return { type: "call", fn: "FILL", args, col: t.col };
  }
}

/**
 * Parses a metric-math expression into a tree.
 *
 * @example
 * parseExpression("(m1 + m2) / m3").type; // "bin"
 */
export function parseExpression(src: string): ExprNode {
  return new Parser(src).parseAll();
}

/**
 * The ids an expression reads, in first-use order.
 *
 * @example
 * expressionIds(parseExpression("FILL(m1, 0) + m2 / m1")); // ["m1", "m2"]
 */
export function expressionIds(node: ExprNode): string[] {
  const seen = new Set<string>();
  const walk = (n: ExprNode): void => {
    switch (n.type) {
      case "id":
        seen.add(n.name);
        return;
      case "neg":
        walk(n.arg);
        return;
      case "bin":
        walk(n.left);
        walk(n.right);
        return;
      case "array":
        n.items.forEach(walk);
        return;
      case "call":
        n.args.forEach(walk);
        return;
      default:
        return;
    }
  };
  walk(node);
  return [...seen];
}

type Value = number | Float64Array;

function applyBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    default:
      return b === 0 ? Number.NaN : a / b;
  }
}

function binary(op: BinaryOp, l: Value, r: Value, length: number): Value {
  if (typeof l === "number" && typeof r === "number") return applyBinary(op, l, r);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const a = typeof l === "number" ? l : (l[i] as number);
    const b = typeof r === "number" ? r : (r[i] as number);
    out[i] = applyBinary(op, a, b);
  }
  return out;
}

function fill(series: Value, with_: ExprNode, length: number): Value {
  if (typeof series === "number") return series;
  const out = new Float64Array(series);
  if (with_.type === "num") {
    for (let i = 0; i < length; i++) if (Number.isNaN(out[i])) out[i] = with_.value;
    return out;
  }
  // REPEAT carries the last real value forward; leading gaps stay no data (nothing to repeat).
  let last = Number.NaN;
  for (let i = 0; i < length; i++) {
    const v = out[i] as number;
    if (Number.isNaN(v)) out[i] = last;
    else last = v;
  }
  return out;
}

/**
 * Evaluates a parsed expression over per-step series of `length` steps. `lookup` returns
 * the series of an id or `undefined` when it is unknown.
 *
 * @example
 * const v = evaluateExpression(parseExpression("m1 / m2"), (id) =>
 *   id === "m1" ? Float64Array.of(1, 2) : Float64Array.of(2, 0), 2, "m1 / m2");
 * // v = [0.5, NaN]
 */
export function evaluateExpression(
  node: ExprNode,
  lookup: (id: string) => Float64Array | undefined,
  length: number,
  source = "",
): Float64Array {
  const evalNode = (n: ExprNode): Value => {
    switch (n.type) {
      case "num":
        return n.value;
      case "id": {
        const s = lookup(n.name);
        if (s === undefined) {
          throw new ExpressionError(
            source,
            n.col,
            `unknown id "${n.name}": define it under the expression's metrics or fix the name`,
          );
        }
        if (s.length !== length) {
          throw new ExpressionError(
            source,
            n.col,
            `series "${n.name}" has ${s.length} steps, expected ${length}`,
          );
        }
        return s;
      }
      case "neg":
        return binary("*", -1, evalNode(n.arg), length);
      case "bin":
        return binary(n.op, evalNode(n.left), evalNode(n.right), length);
      case "call": {
        const [first, second] = n.args as [ExprNode, ExprNode];
        if (n.fn === "FILL") return fill(evalNode(first), second, length);
        if (first.type !== "array") {
          throw new ExpressionError(source, n.col, "SUM takes an array: write SUM([m1, m2])");
        }
        return first.items.reduce<Value>(
          (acc, item) => binary("+", acc, evalNode(item), length),
          0,
        );
      }
      default:
        throw new ExpressionError(
          source,
          n.col,
          "REPEAT and [..] arrays only appear inside FILL(..) and SUM(..)",
        );
    }
  };
  const result = evalNode(node);
  return typeof result === "number" ? new Float64Array(length).fill(result) : result;
}
