import { formatDuration, parseDuration } from "../time/duration.ts";
import { optional } from "./meta.ts";
import type { BudgetingMethod, ComparisonOp, Indicator, Objective, TimeWindow } from "./model.ts";
import type { IssueSink, Path } from "./report.ts";
import { closest } from "./report.ts";
import { type ObjectiveSpec, objectiveSchema } from "./schema.ts";

const BUDGETING_METHODS: readonly BudgetingMethod[] = [
  "Occurrences",
  "Timeslices",
  "RatioTimeslices",
];
const OPS: readonly ComparisonOp[] = ["lt", "lte", "gt", "gte"];

/** Reports an error and marks the objective list as failed. */
type Fail = (path: Path, message: string, hint: string) => void;

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** Reads `spec.budgetingMethod`, suggesting the nearest name for a typo. */
export function readBudgetingMethod(sink: IssueSink, raw: string): BudgetingMethod | undefined {
  if (isOneOf(BUDGETING_METHODS, raw)) return raw;
  const near = closest(raw, BUDGETING_METHODS);
  sink.error(
    ["spec", "budgetingMethod"],
    `unknown budgeting method "${raw}"`,
    near ? `did you mean ${near}?` : `write one of: ${BUDGETING_METHODS.join(", ")}`,
  );
  return undefined;
}

/** What one objective is checked against: the SLO's other, already-read fields. */
interface ObjectiveContext {
  readonly indicator: Indicator | undefined;
  readonly method: BudgetingMethod | undefined;
  readonly window: TimeWindow | undefined;
  readonly stepMs: number;
}

/**
 * Reads `spec.objectives`: each needs a target, threshold indicators an op and value,
 * sliced budgeting methods a time slice; names must be unique. Undefined when any
 * objective is in error (every error is reported).
 */
export function readObjectives(
  sink: IssueSink,
  raw: readonly unknown[],
  ctx: ObjectiveContext,
): Objective[] | undefined {
  if (raw.length === 0) {
    sink.error(
      ["spec", "objectives"],
      "SLO has no objectives",
      "add one, e.g. objectives: [{ displayName: availability, target: 0.999 }]",
    );
    return undefined;
  }
  const out: Objective[] = [];
  const names = new Set<string>();
  let ok = true;
  const fail: Fail = (path, message, hint) => {
    sink.error(path, message, hint);
    ok = false;
  };
  raw.forEach((item, i) => {
    const p: Path = ["spec", "objectives", i];
    const o = sink.check(objectiveSchema, item, p);
    if (!o) {
      ok = false;
      return;
    }
    rejectComposite(o, p, fail);
    const target = readTarget(fail, o.target, o.targetPercent, p);
    const name = o.displayName ?? `objective-${i + 1}`;
    if (names.has(name))
      fail(
        [...p, "displayName"],
        `objective name "${name}" is used twice`,
        "give each objective its own displayName",
      );
    names.add(name);
    const threshold = readThreshold(sink, fail, o, p, ctx.indicator);
    const slices = readSlices(sink, fail, o, p, ctx);
    if (target === undefined) return;
    out.push({ name, target, ...threshold, ...slices });
  });
  return ok ? out : undefined;
}

function rejectComposite(o: ObjectiveSpec, p: Path, fail: Fail): void {
  for (const key of ["indicator", "indicatorRef", "compositeWeight"] as const) {
    if (o[key] !== undefined)
      fail(
        [...p, key],
        "composite SLOs (per-objective indicators) are not supported",
        "split them into one SLO per indicator",
      );
  }
}

/** `op` and `value`: required for threshold indicators, ignored (with a warning) for ratios. */
function readThreshold(
  sink: IssueSink,
  fail: Fail,
  o: ObjectiveSpec,
  p: Path,
  indicator: Indicator | undefined,
): Pick<Objective, "op" | "value"> {
  if (indicator?.type !== "threshold") {
    if (indicator && (o.op !== undefined || o.value !== undefined))
      sink.warn(p, "op/value are ignored for a ratio indicator", "remove op and value");
    return {};
  }
  let op: ComparisonOp | undefined;
  if (o.op === undefined) fail(p, "threshold objective has no op", "add op: lte (or lt, gt, gte)");
  else if (!isOneOf(OPS, o.op))
    fail([...p, "op"], `unknown op "${o.op}"`, "write lt, lte, gt or gte");
  else op = o.op;
  if (o.value === undefined)
    fail(
      p,
      "threshold objective has no value",
      "add value: the threshold in the metric's unit, e.g. 0.25",
    );
  return { ...optional("op", op), ...optional("value", o.value) };
}

/** `timeSliceWindow` and `timeSliceTarget`, checked against the budgeting method. */
function readSlices(
  sink: IssueSink,
  fail: Fail,
  o: ObjectiveSpec,
  p: Path,
  ctx: ObjectiveContext,
): Pick<Objective, "timeSliceTarget" | "timeSliceWindowMs"> {
  const { method } = ctx;
  // Slice fields cannot be checked until the budgeting method is fixed.
  if (method === undefined) return {};
  if (method === "Occurrences") {
    if (o.timeSliceTarget !== undefined || o.timeSliceWindow !== undefined) {
      sink.warn(
        p,
        "timeSliceTarget/timeSliceWindow are ignored with Occurrences",
        "remove them, or use budgetingMethod: Timeslices",
      );
    }
    return {};
  }
  let timeSliceWindowMs: number | undefined;
  if (o.timeSliceWindow === undefined) {
    fail(p, `${method} needs timeSliceWindow`, "add timeSliceWindow: 5m");
  } else {
    timeSliceWindowMs = readSliceWindow(fail, o.timeSliceWindow, [...p, "timeSliceWindow"], ctx);
  }
  let timeSliceTarget: number | undefined;
  if (method === "Timeslices" && o.timeSliceTarget !== undefined) {
    if (o.timeSliceTarget > 0 && o.timeSliceTarget <= 1) timeSliceTarget = o.timeSliceTarget;
    else
      fail(
        [...p, "timeSliceTarget"],
        `timeSliceTarget ${o.timeSliceTarget} is outside (0, 1]`,
        "write a fraction, e.g. 0.95",
      );
  } else if (method === "RatioTimeslices" && o.timeSliceTarget !== undefined) {
    sink.warn(
      [...p, "timeSliceTarget"],
      "timeSliceTarget is ignored with RatioTimeslices",
      "remove it, or use budgetingMethod: Timeslices",
    );
  }
  return {
    ...optional("timeSliceTarget", timeSliceTarget),
    ...optional("timeSliceWindowMs", timeSliceWindowMs),
  };
}

/** A slice is a whole number of steps and no longer than a rolling window. */
function readSliceWindow(
  fail: Fail,
  text: string,
  wp: Path,
  { window, stepMs }: ObjectiveContext,
): number | undefined {
  const ms = tryDuration(text);
  const windowLength = window?.type === "rolling" ? window.durationMs : Number.POSITIVE_INFINITY;
  if (ms === undefined) fail(wp, `"${text}" is not a duration`, "write e.g. 1m or 5m");
  else if (ms < stepMs)
    fail(
      wp,
      `timeSliceWindow ${text} is shorter than the ${formatDuration(stepMs)} step`,
      `write at least ${formatDuration(stepMs)}`,
    );
  else if (ms % stepMs !== 0)
    fail(
      wp,
      `timeSliceWindow ${text} is not a whole number of ${formatDuration(stepMs)} steps`,
      `write a multiple of ${formatDuration(stepMs)}`,
    );
  else if (ms > windowLength)
    fail(
      wp,
      `timeSliceWindow ${text} is longer than the time window`,
      "write a slice much shorter than the window, e.g. 5m",
    );
  else return ms;
  return undefined;
}

function readTarget(
  fail: Fail,
  target: number | undefined,
  percent: number | undefined,
  p: Path,
): number | undefined {
  if (target !== undefined && percent !== undefined) {
    fail(
      [...p, "targetPercent"],
      "both target and targetPercent are given",
      "keep one: target: 0.999 or targetPercent: 99.9",
    );
    return undefined;
  }
  if (target !== undefined) {
    if (target > 0 && target < 1) return target;
    fail(
      [...p, "target"],
      `target ${target} is outside (0, 1)`,
      target >= 1 && target < 100
        ? `write a fraction, e.g. ${Number((target / 100).toPrecision(12))}, or use targetPercent: ${target}`
        : "write a fraction between 0 and 1, e.g. 0.999, or use targetPercent: 99.9",
    );
    return undefined;
  }
  if (percent !== undefined) {
    if (percent > 0 && percent < 100) return Number((percent / 100).toPrecision(12));
    fail(
      [...p, "targetPercent"],
      `targetPercent ${percent} is outside (0, 100)`,
      "write a percentage such as 99.9",
    );
    return undefined;
  }
  fail(p, "objective has no target", "add target: 0.999 (or targetPercent: 99.9)");
  return undefined;
}

function tryDuration(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}
