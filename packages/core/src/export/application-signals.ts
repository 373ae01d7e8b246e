import { type CountRecipe, planSloQueries } from "../metrics/plan.ts";
import type {
  CloudWatchMetricStat,
  CloudWatchQuery,
  ComparisonOp,
  SloDefinition,
} from "../spec/model.ts";

/** A GetMetricData-style query as Application Signals takes it (`MetricDataQuery`). */
export interface AppSignalsMetricDataQuery {
  readonly Id: string;
  readonly MetricStat?: {
    readonly Metric: {
      readonly Namespace: string;
      readonly MetricName: string;
      readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
    };
    readonly Period: number;
    readonly Stat: string;
  };
  readonly Expression?: string;
  readonly ReturnData: boolean;
}

type Interval =
  | {
      readonly RollingInterval: {
        readonly DurationUnit: "DAY" | "HOUR" | "MINUTE";
        readonly Duration: number;
      };
    }
  | {
      readonly CalendarInterval: {
        readonly StartTime: string;
        readonly DurationUnit: "DAY" | "MONTH";
        readonly Duration: number;
      };
    };

/** The input of Application Signals `CreateServiceLevelObjective`, as plain data. */
export interface CreateServiceLevelObjectiveRequest {
  readonly Name: string;
  readonly Description?: string;
  readonly RequestBasedSliConfig?: {
    readonly RequestBasedSliMetricConfig: {
      readonly TotalRequestCountMetric: readonly AppSignalsMetricDataQuery[];
      readonly MonitoredRequestCountMetric:
        | { readonly GoodCountMetric: readonly AppSignalsMetricDataQuery[] }
        | { readonly BadCountMetric: readonly AppSignalsMetricDataQuery[] };
    };
  };
  readonly SliConfig?: {
    readonly SliMetricConfig: {
      readonly MetricDataQueries: readonly AppSignalsMetricDataQuery[];
      readonly PeriodSeconds: number;
    };
    readonly MetricThreshold: number;
    readonly ComparisonOperator:
      | "GreaterThanOrEqualTo"
      | "GreaterThan"
      | "LessThan"
      | "LessThanOrEqualTo";
  };
  readonly Goal: { readonly Interval: Interval; readonly AttainmentGoal: number };
  readonly BurnRateConfigurations: readonly { readonly LookBackWindowMinutes: number }[];
  readonly Tags: readonly { readonly Key: string; readonly Value: string }[];
}

/** `BatchUpdateExclusionWindows` entries for one SLO (sent after it is created). */
export interface AppSignalsExclusionWindow {
  readonly Window: { readonly DurationUnit: "MINUTE"; readonly Duration: number };
  readonly StartTime: string;
  readonly Reason: string;
}

export interface AppSignalsSlo {
  /** The OpenSLO SLO (and objective, when it has several) this request comes from. */
  readonly slo: string;
  readonly objective: string;
  readonly request: CreateServiceLevelObjectiveRequest | undefined;
  readonly exclusionWindows: readonly AppSignalsExclusionWindow[];
  /** What Application Signals cannot express for this SLO; never silently dropped. */
  readonly cannotExpress: readonly string[];
}

/** Application Signals keeps burn-rate look-back windows within 7 days. */
const MAX_LOOKBACK_MINUTES = 10_080;
const PERIOD_SECONDS = 60;
const OPS = {
  gte: "GreaterThanOrEqualTo",
  gt: "GreaterThan",
  lt: "LessThan",
  lte: "LessThanOrEqualTo",
} as const satisfies Record<ComparisonOp, string>;

function metricStat(
  id: string,
  m: CloudWatchMetricStat,
  returnData: boolean,
): AppSignalsMetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: m.namespace,
        MetricName: m.metricName,
        Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: PERIOD_SECONDS,
      Stat: m.stat,
    },
    ReturnData: returnData,
  };
}

/** A query as MetricDataQuery entries: the metric, or its inputs plus the expression. */
function dataQueries(query: CloudWatchQuery, prefix: string): AppSignalsMetricDataQuery[] {
  if (query.kind === "metric") return [metricStat(`${prefix}`, query, true)];
  // Metric ids stay as the expression names them, so the expression text is unchanged.
  return [
    ...Object.entries(query.metrics).map(([id, m]) => metricStat(id, m, false)),
    { Id: prefix, Expression: query.expression, ReturnData: true },
  ];
}

function interval(slo: SloDefinition): Interval {
  const w = slo.timeWindow;
  if (w.type === "rolling") {
    const minutes = w.durationMs / 60_000;
    if (minutes % 1440 === 0)
      return { RollingInterval: { DurationUnit: "DAY", Duration: minutes / 1440 } };
    if (minutes % 60 === 0)
      return { RollingInterval: { DurationUnit: "HOUR", Duration: minutes / 60 } };
    return { RollingInterval: { DurationUnit: "MINUTE", Duration: Math.round(minutes) } };
  }
  const [unit, per] =
    w.unit === "Day"
      ? (["DAY", 1] as const)
      : w.unit === "Week"
        ? (["DAY", 7] as const)
        : w.unit === "Month"
          ? (["MONTH", 1] as const)
          : w.unit === "Quarter"
            ? (["MONTH", 3] as const)
            : (["MONTH", 12] as const);
  return {
    CalendarInterval: {
      StartTime: new Date(w.startTimeMs).toISOString(),
      DurationUnit: unit,
      Duration: per * w.count,
    },
  };
}

/** SLO names: letters, digits, `-._ `, at most 128 characters. */
function sloName(name: string): string {
  return name.replace(/[^-._0-9A-Za-z ]/g, "-").slice(0, 128);
}

/**
 * Each OpenSLO SLO (one per objective) as an Application Signals
 * `CreateServiceLevelObjective` request over the same CloudWatch metrics:
 * request-based for Occurrences (good or bad count over the total, threshold SLIs
 * reading the `TC(:x)` count over `SampleCount`, exactly what this engine counts),
 * period-based for Timeslices (the slice statistic against the threshold), rolling or
 * calendar goal, one burn-rate configuration per tier window, exclusion windows as
 * `BatchUpdateExclusionWindows` entries. What cannot be carried over is listed per SLO.
 *
 * @example
 * for (const s of applicationSignalsSlos(slos)) console.log(s.slo, s.cannotExpress);
 */
export function applicationSignalsSlos(slos: readonly SloDefinition[]): AppSignalsSlo[] {
  const plan = planSloQueries(slos, PERIOD_SECONDS * 1000);
  const queries = new Map(plan.queries.map((q) => [q.id, q.query]));
  const out: AppSignalsSlo[] = [];
  for (const slo of slos) {
    const planned = plan.slos.find((p) => p.slo === slo.name);
    const failure = plan.failures.get(slo.name);
    for (const [i, objective] of slo.objectives.entries()) {
      const cannot: string[] = [];
      const recipe: CountRecipe | undefined = planned?.objectives[i]?.recipe;
      const name = sloName(slo.objectives.length > 1 ? `${slo.name}-${objective.name}` : slo.name);
      if (failure !== undefined || recipe === undefined) {
        out.push({
          slo: slo.name,
          objective: objective.name,
          request: undefined,
          exclusionWindows: [],
          cannotExpress: [`not exported: ${failure ?? "not planned"}`],
        });
        continue;
      }
      const windows = [...new Set(slo.alertTiers.flatMap((t) => [t.longWindowMs, t.shortWindowMs]))]
        .map((ms) => Math.round(ms / 60_000))
        .sort((a, b) => a - b);
      const tooLong = windows.filter((m) => m > MAX_LOOKBACK_MINUTES);
      if (tooLong.length > 0) {
        cannot.push(
          `burn-rate windows over 7 days (${tooLong.join(", ")} min): Application Signals looks back at most ${MAX_LOOKBACK_MINUTES} minutes`,
        );
      }
      cannot.push(
        "multiwindow tiers: Application Signals computes each window's burn rate; firing on long AND short needs a CloudWatch composite alarm over the two BurnRate metrics",
      );
      if (slo.minEvents > 0) cannot.push(`min-events ${slo.minEvents}: no low-traffic guard`);
      // Dimensions serialise as {"Service":"..."}: the one logical dimension.
      if (JSON.stringify(slo.indicator).includes('"Service":')) {
        cannot.push(
          "the logical Service dimension: Application Signals reads the dimensions as written; the platform resolves Service to LoadBalancer/TargetGroup at run time",
        );
      }
      if (slo.budgetingMethod === "RatioTimeslices") {
        cannot.push(
          "RatioTimeslices (mean of slice ratios): written as request-based over all events",
        );
      }
      let request: CreateServiceLevelObjectiveRequest;
      const common = {
        Name: name,
        ...(slo.description ? { Description: slo.description.slice(0, 1024) } : {}),
        Goal: {
          Interval: interval(slo),
          AttainmentGoal: Number((objective.target * 100).toPrecision(12)),
        },
        BurnRateConfigurations: windows
          .filter((m) => m <= MAX_LOOKBACK_MINUTES)
          .map((m) => ({ LookBackWindowMinutes: m })),
        Tags: [
          { Key: "slo-platform:slo", Value: slo.name },
          { Key: "slo-platform:service", Value: slo.service },
        ],
      };
      if (recipe.kind === "timeslice") {
        request = {
          ...common,
          SliConfig: {
            SliMetricConfig: {
              MetricDataQueries: dataQueries(queries.get(recipe.sli) as CloudWatchQuery, "sli"),
              PeriodSeconds: Math.round((objective.timeSliceWindowMs ?? 60_000) / 1000),
            },
            MetricThreshold: recipe.value,
            ComparisonOperator: OPS[recipe.op],
          },
        };
      } else {
        const total = dataQueries(queries.get(recipe.total) as CloudWatchQuery, "total");
        request = {
          ...common,
          RequestBasedSliConfig: {
            RequestBasedSliMetricConfig: {
              TotalRequestCountMetric: total,
              MonitoredRequestCountMetric:
                recipe.kind === "bad_total"
                  ? {
                      BadCountMetric: dataQueries(
                        queries.get(recipe.bad) as CloudWatchQuery,
                        "bad",
                      ),
                    }
                  : {
                      GoodCountMetric: dataQueries(
                        queries.get(recipe.good) as CloudWatchQuery,
                        "good",
                      ),
                    },
            },
          },
        };
      }
      out.push({
        slo: slo.name,
        objective: objective.name,
        request,
        exclusionWindows: slo.exclusions.map((e) => ({
          Window: { DurationUnit: "MINUTE", Duration: Math.ceil((e.endMs - e.startMs) / 60_000) },
          StartTime: new Date(e.startMs).toISOString(),
          Reason: e.reason ?? "exclusion window from the OpenSLO definition",
        })),
        cannotExpress: cannot,
      });
    }
  }
  return out;
}
