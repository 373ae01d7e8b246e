import { SloPlatformError } from "../errors.ts";
import type {
  CloudWatchMetricStat,
  CloudWatchQuery,
  ComparisonOp,
  MetricSourceRef,
  Objective,
  SloDefinition,
} from "../spec/model.ts";
import { formatDuration } from "../time/duration.ts";
import { parseExpression } from "./expression.ts";
import type { MetricQuery } from "./source.ts";
import { canonicalStat } from "./stat.ts";

/** Thrown while planning one SLO; caught by the planner and reported for that SLO only. */
export class PlanError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "PlanError";
  }
}

/**
 * How one objective's per-step good/total counts are built from fetched series (ids
 * refer to `QueryPlan.queries`):
 * - `good_total`: good and total as fetched;
 * - `bad_total`: good = total - bad;
 * - `timeslice`: each step is one slice, good when the SLI value meets `op value`.
 */
export type CountRecipe =
  | { readonly kind: "good_total"; readonly good: string; readonly total: string }
  | { readonly kind: "bad_total"; readonly bad: string; readonly total: string }
  | {
      readonly kind: "timeslice";
      readonly sli: string;
      readonly op: ComparisonOp;
      readonly value: number;
    };

export interface PlannedObjective {
  readonly objective: string;
  readonly recipe: CountRecipe;
}

export interface PlannedSlo {
  readonly slo: string;
  /** Same order as the definition's `objectives`. */
  readonly objectives: readonly PlannedObjective[];
}

export interface QueryPlan {
  readonly stepMs: number;
  /** Unique queries: fetch these once, in one `MetricsSource.fetch` call. */
  readonly queries: readonly MetricQuery[];
  readonly slos: readonly PlannedSlo[];
  /** SLO name -> why it cannot be planned (the others are unaffected). */
  readonly failures: ReadonlyMap<string, string>;
}

function metricKey(m: CloudWatchMetricStat): string {
  const dims = Object.keys(m.dimensions)
    .sort()
    .map((k) => `${k}=${m.dimensions[k]}`)
    .join(",");
  return `m|${m.namespace}|${m.metricName}|${dims}|${canonicalStat(m.stat)}`;
}

/**
 * A key equal for queries that return the same data: same metric (dimension order and
 * stat spelling ignored) or the same expression text over the same metrics.
 *
 * @example
 * queryKey({ kind: "metric", namespace: "AWS/ApplicationELB", metricName: "RequestCount",
 *   dimensions: { Service: "a" }, stat: "sum" }); // "m|AWS/ApplicationELB|RequestCount|Service=a|Sum"
 */
export function queryKey(q: CloudWatchQuery): string {
  if (q.kind === "metric") return metricKey(q);
  const metrics = Object.keys(q.metrics)
    .sort()
    .map((id) => `${id}:${metricKey(q.metrics[id] as CloudWatchMetricStat)}`)
    .join(";");
  return `e|${q.expression.replace(/\s+/g, "")}|${metrics}`;
}

function formatValue(v: number): string {
  return String(v);
}

class Builder {
  readonly queries: MetricQuery[] = [];
  private readonly keys: string[] = [];
  private readonly byKey = new Map<string, string>();

  add(q: CloudWatchQuery): string {
    const key = queryKey(q);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const id = `q${this.queries.length}`;
    this.byKey.set(key, id);
    this.keys.push(key);
    this.queries.push({ id, query: q });
    return id;
  }

  /** Forgets the queries added after the first `count`, so a failed SLO leaves none behind. */
  truncate(count: number): void {
    for (const key of this.keys.splice(count)) this.byKey.delete(key);
    this.queries.length = count;
  }
}

function queryable(ref: MetricSourceRef | undefined, role: string): CloudWatchQuery {
  if (ref === undefined) throw new PlanError(`the ratio SLI has no ${role} metric`);
  if (ref.kind === "unsupported") {
    throw new PlanError(
      `the ${role} metric uses the unsupported source type "${ref.type}": use a CloudWatch metric or metric-math expression`,
    );
  }
  if (ref.kind === "expression") {
    // Validate now so a typo fails this SLO at planning time, not the whole fetch.
    parseExpression(ref.expression);
  } else {
    canonicalStat(ref.stat);
  }
  return ref;
}

function planObjective(
  def: SloDefinition,
  objective: Objective,
  stepMs: number,
  builder: Builder,
): CountRecipe {
  const ind = def.indicator;
  const sliced = def.budgetingMethod !== "Occurrences";
  const slice = objective.timeSliceWindowMs;
  if (sliced && slice !== undefined && slice % stepMs !== 0) {
    throw new PlanError(
      `objective "${objective.name}": timeSliceWindow ${formatDuration(slice)} is not a whole number of ${formatDuration(stepMs)} steps: use a slice that is a multiple of the step, or a finer step`,
    );
  }
  if (ind.type === "ratio") {
    const total = builder.add(queryable(ind.total, "total"));
    if (ind.good !== undefined) {
      return { kind: "good_total", good: builder.add(queryable(ind.good, "good")), total };
    }
    return { kind: "bad_total", bad: builder.add(queryable(ind.bad, "bad")), total };
  }
  const { op, value } = objective;
  if (op === undefined || value === undefined) {
    throw new PlanError(
      `objective "${objective.name}" of a threshold SLI has no op/value: add e.g. op: lte and value: 0.25`,
    );
  }
  const metric = queryable(ind.metric, "threshold");
  if (sliced) return { kind: "timeslice", sli: builder.add(metric), op, value };
  if (metric.kind !== "metric") {
    throw new PlanError(
      `objective "${objective.name}": Occurrences over a metric-math expression cannot be counted per event: use budgetingMethod Timeslices or a ratioMetric`,
    );
  }
  const below = op === "lte" || op === "lt";
  const good = builder.add({
    ...metric,
    stat: below ? `TC(:${formatValue(value)})` : `TC(${formatValue(value)}:)`,
  });
  const total = builder.add({ ...metric, stat: "SampleCount" });
  return { kind: "good_total", good, total };
}

/**
 * Plans the queries for a set of SLOs: one good and one total query (or the SLI's own
 * statistic for time slices) per objective, deduplicated across SLOs, so the four SLOs of
 * a service share `RequestCount` and the like. An SLO that cannot be planned is listed in
 * `failures`; the others are planned as usual.
 *
 * @example
 * const plan = planSloQueries(fleetSlos, 60_000);
 * plan.queries.length; // 60 for the 40 fleet SLOs, instead of 80
 */
export function planSloQueries(defs: readonly SloDefinition[], stepMs: number): QueryPlan {
  const builder = new Builder();
  const slos: PlannedSlo[] = [];
  const failures = new Map<string, string>();
  for (const def of defs) {
    const before = builder.queries.length;
    try {
      const objectives = def.objectives.map((o) => ({
        objective: o.name,
        recipe: planObjective(def, o, stepMs, builder),
      }));
      if (objectives.length === 0) throw new PlanError("the SLO has no objectives");
      slos.push({ slo: def.name, objectives });
    } catch (error) {
      builder.truncate(before);
      const message = error instanceof Error ? error.message : String(error);
      failures.set(
        def.name,
        `${def.location.file}:${def.location.line}: SLO "${def.name}": ${message}`,
      );
    }
  }
  return { stepMs, queries: builder.queries, slos, failures };
}
