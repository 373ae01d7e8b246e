import { SloPlatformError } from "../errors.ts";

/** Thrown when a CloudWatch statistic string cannot be read. */
export class StatError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "StatError";
  }
}

/** A bound of `TC(..)` / `TM(..)`: an absolute value or a percentile (`10%`). */
export interface StatBound {
  readonly value: number;
  readonly percent: boolean;
}

/** A parsed CloudWatch statistic. */
export type Stat =
  | { readonly kind: "Sum" | "SampleCount" | "Average" | "Minimum" | "Maximum" }
  | { readonly kind: "percentile"; readonly p: number }
  | {
      readonly kind: "TC" | "TM";
      readonly lo: StatBound | undefined;
      readonly hi: StatBound | undefined;
    };

const SIMPLE = new Set(["Sum", "SampleCount", "Average", "Minimum", "Maximum"]);
const SIMPLE_LOWER = new Map([...SIMPLE].map((s) => [s.toLowerCase(), s]));

function parseBound(text: string, stat: string): StatBound | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const percent = t.endsWith("%");
  const num = Number(percent ? t.slice(0, -1) : t);
  if (!Number.isFinite(num) || (percent && (num < 0 || num > 100))) {
    throw new StatError(
      `statistic "${stat}": bound "${t}" is not a number: write e.g. TC(:0.25) or TM(10%:90%)`,
    );
  }
  return { value: num, percent };
}

/**
 * Parses a CloudWatch statistic: `Sum`, `SampleCount`, `Average`, `Minimum`, `Maximum`,
 * `pNN(.N)`, `TC(lo:hi)`, `TM(lo:hi)` (bounds absolute or `NN%`, either may be empty).
 *
 * @example
 * parseStat("p99.9"); // { kind: "percentile", p: 99.9 }
 * parseStat("TC(:0.25)"); // { kind: "TC", lo: undefined, hi: { value: 0.25, percent: false } }
 */
export function parseStat(stat: string): Stat {
  const s = stat.trim();
  const simple = SIMPLE_LOWER.get(s.toLowerCase());
  if (simple !== undefined) return { kind: simple as "Sum" };
  const pm = /^[pP](\d+(?:\.\d+)?)$/.exec(s);
  if (pm) {
    const p = Number(pm[1]);
    if (p > 0 && p < 100) return { kind: "percentile", p };
  }
  const tm = /^(tc|tm)\(([^:()]*):([^:()]*)\)$/i.exec(s);
  if (tm) {
    const kind = (tm[1] as string).toUpperCase() as "TC" | "TM";
    const lo = parseBound(tm[2] as string, stat);
    const hi = parseBound(tm[3] as string, stat);
    if (lo !== undefined && hi !== undefined && lo.percent !== hi.percent) {
      throw new StatError(
        `statistic "${stat}": mix of percent and absolute bounds: write both as values (TC(0.1:0.5)) or both as percents (TC(10%:90%))`,
      );
    }
    return { kind, lo, hi };
  }
  throw new StatError(
    `unknown statistic "${stat}": write Sum, SampleCount, Average, Minimum, Maximum, a percentile such as p95 or p99.9, TC(lo:hi) or TM(lo:hi)`,
  );
}

function boundText(b: StatBound | undefined): string {
  if (b === undefined) return "";
  return b.percent ? `${b.value}%` : String(b.value);
}

/**
 * The canonical spelling of a statistic, so `p95.0`, `P95` and `p95` or `TC(:.25)` and
 * `TC(:0.25)` compare equal when matching and deduplicating queries.
 *
 * @example
 * canonicalStat("tc( : .25)"); // "TC(:0.25)"
 */
export function canonicalStat(stat: string): string {
  return formatStat(parseStat(stat));
}

/** Writes a parsed statistic back in CloudWatch syntax. */
export function formatStat(s: Stat): string {
  switch (s.kind) {
    case "percentile":
      return `p${s.p}`;
    case "TC":
    case "TM":
      return `${s.kind}(${boundText(s.lo)}:${boundText(s.hi)})`;
    default:
      return s.kind;
  }
}

/** True when per-step values of this statistic can be added to get a coarser step. */
export function isAdditive(s: Stat): boolean {
  return (
    s.kind === "Sum" ||
    s.kind === "SampleCount" ||
    (s.kind === "TC" && s.lo?.percent !== true && s.hi?.percent !== true)
  );
}
