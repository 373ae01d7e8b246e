import type { ComparisonOp, SloDefinition } from "../spec/model.ts";
import { rangeSteps } from "./errors.ts";
import { type CountRecipe, planSloQueries } from "./plan.ts";
import type { CountSeries, MetricQuery, MetricSeries, MetricsSource, TimeRange } from "./source.ts";

export interface CollectResult {
  readonly range: TimeRange;
  /** Unique queries sent to the source. */
  readonly queryCount: number;
  /** SLO name -> one `CountSeries` per objective, in the definition's order. */
  readonly counts: ReadonlyMap<string, CountSeries[]>;
  /** SLO name -> why it has no counts (planning error, failed or missing query). */
  readonly failures: ReadonlyMap<string, string>;
  /** SLO name -> data-quality notes (clamped steps, zero-filled counts, partial data). */
  readonly warnings: ReadonlyMap<string, string[]>;
  /** SLOs whose counts rest on a series the source flagged as partial. */
  readonly incomplete: ReadonlySet<string>;
}

function queryIdOf(error: unknown): string | undefined {
  if (error instanceof Error && "queryId" in error && typeof error.queryId === "string") {
    return error.queryId;
  }
  return undefined;
}

/**
 * One fetch of all queries; a query the source rejects by id (a `MetricQueryError`) is
 * dropped and the rest fetched again, so one bad metric fails only the SLOs that use it.
 */
async function fetchIsolated(
  source: MetricsSource,
  queries: readonly MetricQuery[],
  range: TimeRange,
  rejected: Map<string, string>,
): Promise<MetricSeries[]> {
  let pending = queries;
  while (pending.length > 0) {
    try {
      return await source.fetch(pending, range);
    } catch (error) {
      const id = queryIdOf(error);
      if (id === undefined || !pending.some((q) => q.id === id)) throw error;
      rejected.set(id, (error as Error).message);
      pending = pending.filter((q) => q.id !== id);
    }
  }
  return [];
}

function meets(v: number, op: ComparisonOp, value: number): boolean {
  switch (op) {
    case "lt":
      return v < value;
    case "lte":
      return v <= value;
    case "gt":
      return v > value;
    default:
      return v >= value;
  }
}

interface Assembled {
  readonly good: Float64Array;
  readonly total: Float64Array;
  readonly clamped: number;
  readonly filled: number;
  /** First step whose counts cannot be real (negative, infinite, part > total). */
  readonly impossible?: { readonly step: number; readonly part: number; readonly total: number };
}

/** Options of {@link collectCounts}. */
export interface CollectOptions {
  /**
   * Refuse impossible counts (negative, infinite, good or bad above total) as a failure
   * of the SLO instead of clamping them with a warning. Data from outside (a file, a
   * deploy gate's input) should be strict: a clamp turns negative errors into a
   * perfect record. CloudWatch's own skew between two metrics is what clamping is for.
   */
  readonly strict?: boolean;
}

function assemble(recipe: CountRecipe, get: (id: string) => Float64Array, n: number): Assembled {
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  let clamped = 0;
  let filled = 0;
  if (recipe.kind === "timeslice") {
    const sli = get(recipe.sli);
    for (let i = 0; i < n; i++) {
      const v = sli[i] as number;
      if (Number.isNaN(v)) {
        good[i] = Number.NaN;
        total[i] = Number.NaN;
      } else {
        good[i] = meets(v, recipe.op, recipe.value) ? 1 : 0;
        total[i] = 1;
      }
    }
    return { good, total, clamped, filled };
  }
  const part = get(recipe.kind === "good_total" ? recipe.good : recipe.bad);
  const tot = get(recipe.total);
  let impossible: Assembled["impossible"];
  for (let i = 0; i < n; i++) {
    const t = tot[i] as number;
    if (Number.isNaN(t)) {
      good[i] = Number.NaN;
      total[i] = Number.NaN;
      continue;
    }
    let p = part[i] as number;
    // CloudWatch publishes no datapoint for a zero count, so a missing numerator beside a
    // present total is zero events of that kind, not missing data.
    if (Number.isNaN(p)) {
      p = 0;
      filled++;
    }
    if (
      impossible === undefined &&
      (!Number.isFinite(t) || !Number.isFinite(p) || t < 0 || p < 0 || p > t)
    ) {
      impossible = { step: i, part: p, total: t };
    }
    if (p > t || p < 0) {
      p = Math.min(Math.max(p, 0), t);
      clamped++;
    }
    total[i] = t;
    good[i] = recipe.kind === "good_total" ? p : t - p;
  }
  return { good, total, clamped, filled, ...(impossible ? { impossible } : {}) };
}

function recipeIds(recipe: CountRecipe): string[] {
  if (recipe.kind === "timeslice") return [recipe.sli];
  return recipe.kind === "good_total" ? [recipe.good, recipe.total] : [recipe.bad, recipe.total];
}

/**
 * Fetches every SLO's metrics through ONE planned, deduplicated `source.fetch` and
 * assembles per-step good/total counts for each objective. Failures are per SLO: an
 * unsupported metric source, a query the source rejects or a series it did not return
 * fails only the SLOs that need it. A step with no total is no data (`NaN`); a numerator
 * above its total is clamped and counted in `warnings`.
 *
 * @example
 * const result = await collectCounts(slos, new EmbeddedMetricsSource(), {
 *   startMs: EMBEDDED_FLEET_END_MS - 30 * 86_400_000, endMs: EMBEDDED_FLEET_END_MS, stepMs: 60_000,
 * });
 * const [availability] = result.counts.get("payment-service-availability") ?? [];
 */
export async function collectCounts(
  defs: readonly SloDefinition[],
  source: MetricsSource,
  range: TimeRange,
  options: CollectOptions = {},
): Promise<CollectResult> {
  const n = rangeSteps(range);
  const plan = planSloQueries(defs, range.stepMs);
  const failures = new Map(plan.failures);
  const warnings = new Map<string, string[]>();
  const incomplete = new Set<string>();
  const counts = new Map<string, CountSeries[]>();
  const rejected = new Map<string, string>();
  const series = await fetchIsolated(source, plan.queries, range, rejected);
  const byId = new Map<string, MetricSeries>();
  for (const s of series) {
    if (s.values.length === n) byId.set(s.id, s);
    else
      rejected.set(
        s.id,
        `${source.name} returned ${s.values.length} steps for query "${s.id}", expected ${n}`,
      );
  }
  const describe = (id: string): string => {
    const q = plan.queries.find((x) => x.id === id)?.query;
    if (q === undefined) return id;
    return q.kind === "metric"
      ? `${q.namespace} ${q.metricName} ${JSON.stringify(q.dimensions)} ${q.stat}`
      : `expression "${q.expression}"`;
  };

  for (const slo of plan.slos) {
    const notes: string[] = [];
    const objectiveCounts: CountSeries[] = [];
    let failure: string | undefined;
    for (const { objective, recipe } of slo.objectives) {
      const ids = recipeIds(recipe);
      const bad = ids.find((id) => !byId.has(id));
      if (bad !== undefined) {
        failure =
          rejected.get(bad) ??
          `${source.name} returned no series for ${describe(bad)}: check the metric exists in the source`;
        break;
      }
      const partial = ids.filter((id) => byId.get(id)?.complete === false);
      if (partial.length > 0) {
        incomplete.add(slo.slo);
        notes.push(
          `objective "${objective}": partial data for ${partial.map(describe).join(", ")}`,
        );
      }
      const a = assemble(recipe, (id) => (byId.get(id) as MetricSeries).values, n);
      if (options.strict && a.impossible !== undefined) {
        const { step, part, total } = a.impossible;
        const kind = recipe.kind === "bad_total" ? "bad" : "good";
        failure = `objective "${objective}": impossible counts at ${new Date(range.startMs + step * range.stepMs).toISOString()}: ${kind} ${part}, total ${total} (counts must be finite, at least 0, and ${kind} at most total); fix the data in ${source.name}`;
        break;
      }
      if (a.clamped > 0) {
        notes.push(
          `objective "${objective}": ${a.clamped} step(s) had more good/bad than total events; clamped to the total`,
        );
      }
      if (a.filled > 0) {
        notes.push(
          `objective "${objective}": ${a.filled} step(s) had a total but no ${recipe.kind === "bad_total" ? "bad" : "good"} datapoint; counted as 0`,
        );
      }
      objectiveCounts.push({
        startMs: range.startMs,
        stepMs: range.stepMs,
        good: a.good,
        total: a.total,
      });
    }
    if (failure !== undefined) {
      failures.set(slo.slo, `SLO "${slo.slo}": ${failure}`);
      continue;
    }
    counts.set(slo.slo, objectiveCounts);
    if (notes.length > 0) warnings.set(slo.slo, notes);
  }
  return { range, queryCount: plan.queries.length, counts, failures, warnings, incomplete };
}
