import type * as z from "zod";
import type { SpecIssue } from "./issues.ts";
import { formatPath } from "./issues.ts";
import type { LineLookup } from "./lines.ts";

export type Path = readonly (string | number)[];

/** What to write instead, by field name; used when a field has the wrong type or is missing. */
const FIELD_HINTS: Record<string, string> = {
  apiVersion: "write apiVersion: openslo/v1",
  name: "write a lowercase name such as user-service-availability",
  target: "write a fraction between 0 and 1, e.g. 0.999, or use targetPercent: 99.9",
  targetPercent: "write a percentage between 0 and 100, e.g. 99.9",
  timeSliceTarget: "write a fraction between 0 and 1, e.g. 0.95",
  value: "write the threshold as a number, e.g. 0.25 for 250 ms in seconds",
  duration: "write a duration such as 30d (rolling) or 1M / 1w (calendar)",
  timeSliceWindow: "write a duration such as 5m",
  service: "write the name of a Service document, e.g. service: user-service",
  budgetingMethod: "write Occurrences, Timeslices or RatioTimeslices",
  objectives: "write a list with at least one objective, e.g. - target: 0.999",
  counter: "write counter: true for cumulative counts per step, false for gauges",
  stat: "write a CloudWatch statistic such as Sum, SampleCount, p95 or TC(:0.25)",
  spec: "write the source-specific query under spec:",
  metricSource: "write metricSource: { type: CloudWatch, spec: { namespace, metricName, stat } }",
  timeZone: "write an IANA time zone such as Europe/Paris or UTC",
  startTime: 'write a start time such as "2026-01-01 00:00:00"',
};

/** Collects the errors and warnings of one document, with lines from its YAML. */
export class IssueSink {
  readonly file: string;
  readonly lineOf: LineLookup;
  readonly errors: SpecIssue[];
  readonly warnings: SpecIssue[];
  constructor(file: string, lineOf: LineLookup, errors: SpecIssue[], warnings: SpecIssue[]) {
    this.file = file;
    this.lineOf = lineOf;
    this.errors = errors;
    this.warnings = warnings;
  }

  issue(path: Path, message: string, hint?: string): SpecIssue {
    const out: SpecIssue = {
      file: this.file,
      line: this.lineOf(path),
      path: formatPath(path),
      message,
    };
    return hint ? { ...out, hint } : out;
  }

  error(path: Path, message: string, hint?: string): void {
    this.errors.push(this.issue(path, message, hint));
  }

  warn(path: Path, message: string, hint?: string): void {
    this.warnings.push(this.issue(path, message, hint));
  }

  /** Validates `value` against a shape schema, reporting every mismatch; undefined when invalid. */
  check<S extends z.ZodType>(schema: S, value: unknown, path: Path): z.infer<S> | undefined {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    for (const zi of result.error.issues) this.fromZod(schema, zi, path);
    return undefined;
  }

  private fromZod(schema: z.ZodType, zi: z.core.$ZodIssue, base: Path): void {
    const path = [...base, ...(zi.path as (string | number)[])];
    const last = [...path].reverse().find((p): p is string => typeof p === "string") ?? "";
    if (zi.code === "unrecognized_keys") {
      const allowed = allowedKeys(schemaAt(schema, zi.path as (string | number)[]));
      for (const key of zi.keys) {
        const near = closest(key, allowed);
        const hint = near
          ? `did you mean "${near}"?`
          : `remove it; allowed here: ${allowed.join(", ")}`;
        this.error([...path, key], `unknown field "${key}"`, hint);
      }
      return;
    }
    if (zi.code === "invalid_type") {
      const missing = zi.input === undefined;
      const message = missing
        ? `"${last}" is required`
        : `expected ${zi.expected}, got ${describe(zi.input)}`;
      const hint =
        FIELD_HINTS[last] ??
        (zi.expected === "number" ? "write a number without quotes" : `write a ${zi.expected}`);
      this.error(path, message, hint);
      return;
    }
    if (zi.code === "invalid_value") {
      const options = zi.values.map((v) => String(v)).join(", ");
      this.error(path, `${JSON.stringify(zi.input)} is not allowed`, `write one of: ${options}`);
      return;
    }
    this.error(path, zi.message, FIELD_HINTS[last]);
  }
}

function describe(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  return `${typeof input} ${JSON.stringify(input)}`;
}

interface SchemaDef {
  type: string;
  innerType?: SchemaLike;
  shape?: Record<string, SchemaLike>;
  element?: SchemaLike;
  valueType?: SchemaLike;
}
interface SchemaLike {
  def: SchemaDef;
}

/** Walks a zod schema along a data path, through optional/array/record wrappers. */
function schemaAt(schema: z.ZodType, path: readonly (string | number)[]): SchemaLike | undefined {
  let s: SchemaLike | undefined = unwrap(schema as unknown as SchemaLike);
  for (const seg of path) {
    if (!s) return undefined;
    if (s.def.type === "object" && typeof seg === "string") s = s.def.shape?.[seg];
    else if (s.def.type === "array") s = s.def.element;
    else if (s.def.type === "record") s = s.def.valueType;
    else return undefined;
    s = unwrap(s);
  }
  return s;
}

function unwrap(s: SchemaLike | undefined): SchemaLike | undefined {
  let cur = s;
  while (cur && (cur.def.type === "optional" || cur.def.type === "nullable"))
    cur = cur.def.innerType;
  return cur;
}

function allowedKeys(s: SchemaLike | undefined): string[] {
  return s?.def.type === "object" ? Object.keys(s.def.shape ?? {}) : [];
}

/** The allowed key nearest to a misspelt one (edit distance <= 2 or case-only difference). */
export function closest(input: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const option of options) {
    const d =
      option.toLowerCase() === input.toLowerCase()
        ? 0
        : editDistance(input.toLowerCase(), option.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = option;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(input.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
