import type { SloDefinition } from "../spec/model.ts";
import type { FleetDashboardOptions } from "./fleet-dashboard.ts";
import {
  objectiveViews,
  SLO_METRIC_PERIOD_SECONDS,
  SLO_METRICS,
  SLO_NAMESPACE,
} from "./metrics.ts";
import { dashboardName } from "./names.ts";
import { perSloDetailWidget } from "./per-slo-detail.ts";
import { DashboardInputError } from "./service-dashboard.ts";
import {
  assertWithinLimits,
  COLORS,
  type DashboardDefinition,
  type DashboardWidget,
  expressionEntry,
  layout,
  type MetricWidget,
  md,
  type TextWidget,
  type Unplaced,
} from "./widgets.ts";

/** Services shown in each "worst N" graph. */
export const WORST_SERVICES = 20;

/** Metrics Insights reads one metric identity per objective, up to this many per query. */
export const INSIGHTS_MAX_METRICS = 10_000;

function insights(
  metricName: string,
  fn: "MIN" | "MAX",
  stage: string,
  group?: { readonly order: "ASC" | "DESC"; readonly limit: number },
  schema: readonly string[] = ["SLO", "Service", "Stage"],
): string {
  const from = `FROM SCHEMA("${SLO_NAMESPACE}", ${schema.join(", ")}) WHERE Stage = '${stage.replace(/'/g, "''")}'`;
  const tail = group
    ? ` GROUP BY Service ORDER BY ${fn}() ${group.order} LIMIT ${group.limit}`
    : "";
  return `SELECT ${fn}(${metricName}) ${from}${tail}`;
}

/**
 * The fleet view for a stage too large for `buildFleetDashboard` (which draws every
 * objective's series, so it stops at CloudWatch's 500 metrics per graph, ~250 SLOs):
 * Metrics Insights queries that stay a few lines however many SLOs there are. `full`:
 * the lowest error budget and highest alert state in the stage, and the 20 worst
 * services by each. `minimal`: the highest per-service alert state and the 20 services
 * with the highest, and where each SLO's numbers are. Metrics Insights reads the last 3 hours and at most 10,000 metrics per query;
 * the header says so. Per-service detail is the `slos` dashboard's Service variable.
 *
 * @example
 * buildLargeFleetDashboard(slos, { region: "us-east-1", prefix: "slo-prod", stage: "prod", metrics: "minimal" }).name; // "slo-prod-fleet"
 */
export function buildLargeFleetDashboard(
  slos: readonly SloDefinition[],
  opts: FleetDashboardOptions,
): DashboardDefinition {
  if (slos.length === 0) {
    throw new DashboardInputError(
      "The fleet dashboard needs at least one SLO: add SLO definitions under slos/ first",
    );
  }
  const period = opts.periodSeconds ?? SLO_METRIC_PERIOD_SECONDS;
  const objectives = slos.flatMap(objectiveViews).length;
  const services = new Set(slos.map((s) => s.service)).size;
  const title = opts.title ?? "fleet";
  const budget = SLO_METRICS.errorBudgetRemaining;
  const state = SLO_METRICS.alertState;
  const full = opts.metrics === "full";
  // Metrics Insights reads one series per objective (full) or per service (minimal).
  const series = full ? objectives : services;
  const header: Unplaced<TextWidget> = {
    type: "text",
    width: 24,
    height: 3,
    properties: {
      markdown: [
        `# SLO ${md(title)}: ${services} services, ${objectives} SLOs (stage ${md(opts.stage)})`,
        "Metrics Insights queries over the last 3 hours" +
          (series > INSIGHTS_MAX_METRICS
            ? ` (each reads at most ${INSIGHTS_MAX_METRICS} of the ${series} series: figures may be partial)`
            : "") +
          (full
            ? ""
            : ". Alert state is per service and published only while a tier fires: no data means nothing fires") +
          ". One service's SLOs: the slos dashboard (Service variable); canaries: their alarms.",
      ].join("\n\n"),
    },
  };
  const graph = (
    widgetTitle: string,
    expression: string,
    view: MetricWidget["properties"]["view"],
    width: number,
    extra: Partial<MetricWidget["properties"]> = {},
  ): Unplaced<MetricWidget> => ({
    type: "metric",
    width,
    height: view === "singleValue" ? 4 : 7,
    properties: {
      title: widgetTitle,
      region: opts.region,
      view,
      period,
      stat: "Average",
      metrics: [expressionEntry(expression, { id: "q" })],
      ...extra,
    },
  });
  // Full reads every objective's AlertState; minimal each service's (no SLO dimension).
  const schema = full ? undefined : ["Service", "Stage"];
  const highestState = graph(
    "Highest alert state in the stage (2 page, 1 ticket)",
    insights(state, "MAX", opts.stage, undefined, schema),
    "singleValue",
    12,
  );
  const worstStates = graph(
    `Alert state: the ${WORST_SERVICES} services with the highest (2 page, 1 ticket)`,
    insights(state, "MAX", opts.stage, { order: "DESC", limit: WORST_SERVICES }, schema),
    "timeSeries",
    12,
    { yAxis: { left: { min: 0, max: 2 } } },
  );
  const widgets: Unplaced<DashboardWidget>[] = full
    ? [
        header,
        graph(
          "Lowest error budget remaining in the stage",
          insights(budget, "MIN", opts.stage),
          "singleValue",
          12,
        ),
        highestState,
        graph(
          `Error budget remaining: the ${WORST_SERVICES} services with the lowest (worst SLO each)`,
          insights(budget, "MIN", opts.stage, { order: "ASC", limit: WORST_SERVICES }),
          "timeSeries",
          12,
          {
            annotations: {
              horizontal: [{ label: "exhausted", value: 0, color: COLORS.exhausted }],
            },
          },
        ),
        worstStates,
      ]
    : [header, highestState, worstStates, perSloDetailWidget(opts.stage)];
  const def: DashboardDefinition = {
    name: dashboardName(opts.prefix ? `${opts.prefix}-${title}` : title),
    body: { start: opts.start ?? "-PT3H", periodOverride: "inherit", widgets: layout(widgets) },
  };
  assertWithinLimits(def);
  return def;
}
