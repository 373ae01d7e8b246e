import type { CountSeries } from "../metrics/source.ts";
import type { AlertTier, Objective, SloDefinition } from "../spec/model.ts";
import { evaluateBurnRateAlerts, windowBurnRate } from "./alerts.ts";
import { defaultTiers, timeToExhaustion } from "./burn-rate.ts";
import { calendarBoundary, type ResolvedWindow, resolveWindow } from "./calendar.ts";
import { SloEvaluationError, SloWindowError } from "./errors.ts";
import { budgetHistory, ratio, sliHistory } from "./history.ts";
import {
  buildPrefix,
  buildSlicePrefix,
  CHECKPOINT_STRIDE,
  type CountPrefix,
  PrefixScratch,
  windowSum,
} from "./prefix.ts";
import type { ErrorBudgetReport, ObjectiveReport, SloReport } from "./report.ts";

const MINUTE_MS = 60_000;

/**
 * Prefix storage an evaluation builds its sums in. A prefix never outlives the objective
 * it is built for (reports hold plain numbers), so a caller evaluating many SLOs one
 * after another can pass the same scratch to every call and spare a large zero-filled
 * allocation per SLO; evaluations that may interleave (workers, tests) each get their
 * own, which is the default.
 *
 * @example
 * const scratch = new EvaluationScratch();
 * for (const def of slos) reports.push(evaluateSlo(def, countsOf(def), nowMs, scratch));
 */
export class EvaluationScratch {
  readonly events = new PrefixScratch();
  readonly slices = new PrefixScratch();
}

const HOUR_MS = 3_600_000;

/** What every objective of one SLO shares at one evaluation. */
interface Context {
  readonly def: SloDefinition;
  readonly window: ResolvedWindow;
  readonly tiers: readonly AlertTier[];
  readonly timeZone: string | null;
  /** Completed calendar periods inside the series, oldest first. */
  readonly periods: ReadonlyArray<{ readonly startMs: number; readonly endMs: number }>;
  /** Window of `currentBurnRate`. */
  readonly currentWindowMs: number;
  /** Distinct alert windows, shortest first. */
  readonly burnWindows: readonly number[];
  readonly scratch: EvaluationScratch;
}

/**
 * Evaluates one SLO at `nowMs` from per-step good/total counts: SLI, compliance, error
 * budget (in units and in minutes), current burn rate and time to exhaustion, the
 * multi-window burn-rate alerts, and the burn-down / daily SLI / burn-rate / calendar
 * histories. Each objective's counts are turned into prefix sums once and every window
 * is read from them in O(1), so the cost is O(steps) whatever the number of windows.
 *
 * `counts[i]` belongs to `def.objectives[i]`; all share one grid and should cover the
 * SLO window (missing coverage is reported as no data). Steps at or after `nowMs` are
 * ignored. `scratch` lends the prefix buffers (see {@link EvaluationScratch}).
 *
 * @example
 * const report = evaluateSlo(def, [{ startMs, stepMs: 60_000, good, total }], Date.now());
 * report.objectives[0]?.errorBudget.remainingFraction; // e.g. 0.62
 */
export function evaluateSlo(
  def: SloDefinition,
  counts: readonly CountSeries[],
  nowMs: number,
  scratch: EvaluationScratch = new EvaluationScratch(),
): SloReport {
  const where = `${def.location.file}:${def.location.line}: SLO ${def.name}`;
  checkInputs(def, counts, nowMs, where);
  let window: ResolvedWindow;
  try {
    window = resolveWindow(def.timeWindow, nowMs);
  } catch (e) {
    if (e instanceof SloWindowError)
      throw new SloWindowError(`${where}: ${e.message}`, { cause: e });
    throw e;
  }
  const tiers = def.alertTiers.length > 0 ? def.alertTiers : defaultTiers(window.periodMs);
  const firstStepMs = (counts[0] as CountSeries).startMs;
  const ctx: Context = {
    def,
    window,
    tiers,
    timeZone: def.timeWindow.type === "calendar" ? def.timeWindow.timeZone : null,
    periods: completedPeriods(def, window, firstStepMs),
    currentWindowMs: currentWindow(tiers),
    burnWindows: [...new Set(tiers.flatMap((t) => [t.longWindowMs, t.shortWindowMs]))].sort(
      (a, b) => a - b,
    ),
    scratch,
  };
  const objectives = def.objectives.map((objective, i) =>
    evaluateObjective(ctx, objective, counts[i] as CountSeries),
  );
  return {
    slo: def.name,
    service: def.service,
    ...(def.displayName === undefined ? {} : { displayName: def.displayName }),
    budgetingMethod: def.budgetingMethod,
    evaluatedAtMs: nowMs,
    windowStartMs: window.startMs,
    windowEndMs: window.endMs,
    status: objectives.every((o) => o.sli === null) ? "no_data" : "ok",
    objectives,
  };
}

function checkInputs(
  def: SloDefinition,
  counts: readonly CountSeries[],
  nowMs: number,
  where: string,
): void {
  if (!Number.isFinite(nowMs)) {
    throw new SloEvaluationError(`${where}: evaluation time ${nowMs} is not an epoch-ms number`);
  }
  if (def.objectives.length === 0) {
    throw new SloEvaluationError(`${where}: spec.objectives is empty: add at least one objective`);
  }
  if (counts.length !== def.objectives.length) {
    throw new SloEvaluationError(
      `${where}: got ${counts.length} count series for ${def.objectives.length} objectives: pass one CountSeries per entry of spec.objectives, in order`,
    );
  }
  const first = counts[0] as CountSeries;
  counts.forEach((c, i) => {
    if (
      c.startMs !== first.startMs ||
      c.stepMs !== first.stepMs ||
      c.total.length !== first.total.length
    ) {
      throw new SloEvaluationError(
        `${where}: count series ${i} (start ${c.startMs}, step ${c.stepMs}, ${c.total.length} steps) is not on the grid of series 0 (start ${first.startMs}, step ${first.stepMs}, ${first.total.length} steps): query every objective over the same range and step`,
      );
    }
  });
  def.objectives.forEach((o, i) => {
    if (!(o.target > 0 && o.target < 1)) {
      throw new SloEvaluationError(
        `${where}: spec.objectives[${i}].target is ${o.target}: write a fraction strictly between 0 and 1, e.g. 0.999`,
      );
    }
  });
}

/** The fastest page tier's long window (1 h for the defaults): what "burning now" means. */
function currentWindow(tiers: readonly AlertTier[]): number {
  const pages = tiers.filter((t) => t.severity === "page");
  const pool = pages.length > 0 ? pages : tiers;
  return pool.length > 0 ? Math.min(...pool.map((t) => t.longWindowMs)) : HOUR_MS;
}

function completedPeriods(
  def: SloDefinition,
  window: ResolvedWindow,
  firstStepMs: number,
): Array<{ startMs: number; endMs: number }> {
  const tw = def.timeWindow;
  if (tw.type !== "calendar" || window.calendar === null) return [];
  const out: Array<{ startMs: number; endMs: number }> = [];
  let endMs = window.startMs;
  for (let k = window.calendar.index - 1; ; k--) {
    const startMs = calendarBoundary(tw, k);
    if (startMs < firstStepMs) break;
    out.push({ startMs, endMs });
    endMs = startMs;
  }
  return out.reverse();
}

function evaluateObjective(
  ctx: Context,
  objective: Objective,
  counts: CountSeries,
): ObjectiveReport {
  const { def, window } = ctx;
  const { target } = objective;
  const sliced = def.budgetingMethod !== "Occurrences";
  const sliceMs = objective.timeSliceWindowMs ?? counts.stepMs;
  const events = buildPrefix(
    counts,
    def.exclusions,
    ctx.scratch.events,
    sliced ? sliceStride(counts, sliceMs, window.startMs) : CHECKPOINT_STRIDE,
  );
  let units: CountPrefix = events;
  let unitWindowMs = window.endMs - window.startMs;
  if (def.budgetingMethod !== "Occurrences") {
    units = buildSlicePrefix(
      events,
      {
        originMs: window.startMs,
        sliceMs,
        endMs: window.endMs,
        mode: def.budgetingMethod,
        // Threshold slices are usually one step scored 0/1 upstream: demand every step good.
        sliceTarget: objective.timeSliceTarget ?? (def.indicator.type === "ratio" ? target : 1),
      },
      ctx.scratch.slices,
    );
    unitWindowMs = Math.ceil(unitWindowMs / sliceMs) * sliceMs;
  }

  const w = windowSum(units, window.startMs, window.endMs);
  const hasData = w.total > 0;
  const sli = hasData ? w.good / w.total : null;
  const errorBudget = budget(target, w.good, w.total, unitWindowMs);
  const end = window.endMs;
  const currentBurnRate = windowBurnRate(units, target, end - ctx.currentWindowMs, end);

  return {
    name: objective.name,
    target,
    ...(objective.op === undefined ? {} : { op: objective.op }),
    ...(objective.value === undefined ? {} : { value: objective.value }),
    sli,
    compliant: sli === null ? null : sli >= target,
    good: w.good,
    total: w.total,
    errorBudget,
    currentBurnRate,
    timeToExhaustionMs: timeToExhaustion(
      errorBudget.remainingFraction,
      currentBurnRate,
      window.periodMs,
    ),
    alerts: evaluateBurnRateAlerts({
      units,
      events,
      target,
      tiers: ctx.tiers,
      nowMs: end,
      minEvents: def.minEvents,
    }),
    budgetHistory: budgetHistory(units, target, window.startMs, end),
    sliHistory: sliHistory(units, window.startMs, end, ctx.timeZone),
    burnRates: ctx.burnWindows.map((windowMs) => ({
      windowMs,
      burnRate: windowBurnRate(units, target, end - windowMs, end),
    })),
    calendarHistory: ctx.periods.map((p) => {
      const periodSli = ratio(units, p.startMs, p.endMs);
      return {
        startMs: p.startMs,
        endMs: p.endMs,
        sli: periodSli,
        compliant: periodSli === null ? null : periodSli >= target,
      };
    }),
  };
}

/**
 * One checkpoint per slice when slices are whole steps aligned with the series, so the
 * slices come straight from checkpoints; the default stride otherwise.
 */
function sliceStride(counts: CountSeries, sliceMs: number, originMs: number): number {
  const steps = sliceMs / counts.stepMs;
  const aligned = Number.isInteger(steps) && (counts.startMs - originMs) % sliceMs === 0;
  return aligned && steps >= 1 ? steps : CHECKPOINT_STRIDE;
}

/**
 * Budget in units and minutes. Minutes are the budget fraction applied to the window's
 * length (whole slices for the Timeslices methods), so minutes and units always agree on
 * the fraction spent.
 */
function budget(
  target: number,
  good: number,
  total: number,
  unitWindowMs: number,
): ErrorBudgetReport {
  const allowed = (1 - target) * total;
  const consumed = total - good;
  const allowedMinutes = ((1 - target) * unitWindowMs) / MINUTE_MS;
  if (!(total > 0)) {
    return {
      allowed: 0,
      consumed: 0,
      remainingFraction: null,
      allowedMinutes,
      consumedMinutes: 0,
      remainingMinutes: allowedMinutes,
    };
  }
  const consumedMinutes = (consumed / allowed) * allowedMinutes;
  return {
    allowed,
    consumed,
    remainingFraction: 1 - consumed / allowed,
    allowedMinutes,
    consumedMinutes,
    remainingMinutes: allowedMinutes - consumedMinutes,
  };
}
