import type { SloDefinition } from "../spec/model.ts";
import {
  objectiveViews,
  SLO_METRIC_PERIOD_SECONDS,
  SLO_METRICS,
  SLO_NAMESPACE,
  STAGE_DIMENSION,
} from "./metrics.ts";
import { dashboardName } from "./names.ts";
import { perSloDetailWidget } from "./per-slo-detail.ts";
import { DashboardInputError, type DashboardOptions } from "./service-dashboard.ts";
import {
  assertWithinLimits,
  COLORS,
  type DashboardDefinition,
  type DashboardVariable,
  type DashboardWidget,
  expressionEntry,
  layout,
  type MetricWidget,
  md,
  type TextWidget,
  type Unplaced,
} from "./widgets.ts";

/** The dashboard variable's id: `?~(service~'...)` in the URL opens one service. */
export const SERVICE_VARIABLE_ID = "service";

/** The text the `service` variable rewrites: the `Service` filter of every search. */
function serviceFilter(service: string): string {
  return `Service="${service}"`;
}

function search(
  metricName: string,
  dimensions: readonly string[],
  stage: string,
  service: string,
  statistic: string,
  period: number,
): string {
  const schema = [SLO_NAMESPACE, ...dimensions].join(",");
  return `SEARCH('{${schema}} MetricName="${metricName}" ${STAGE_DIMENSION}="${stage}" ${serviceFilter(service)}', '${statistic}', ${period})`;
}

/**
 * The stage's one SLO dashboard: a `Service` variable in the toolbar picks the service.
 * `full`: every graph is a metric search over that service's objectives (one line per
 * SLO, labelled by its `SLO` dimension: click a line in the legend to see one SLO alone).
 * `minimal` (no metric per objective): the service's `AlertState` and a text widget
 * pointing to the per-SLO numbers (stage report, gate, Logs Insights query that follows
 * the variable).
 * One dashboard for the whole stage instead of one per service: CloudWatch bills $3 a
 * month per dashboard beyond three, so per-service dashboards cost $3 per service.
 *
 * The variable is a `pattern` variable over the text `Service="<name>"`, which only the
 * searches (and the header) contain, so picking a service rewrites nothing else.
 *
 * @example
 * const { name, body } = buildStageDashboard(slos, { region: "eu-west-1", prefix: "slo-prod", stage: "prod", metrics: "minimal" });
 * new aws.cloudwatch.Dashboard("Slos", { dashboardName: name, dashboardBody: JSON.stringify(body) });
 */
export function buildStageDashboard(
  slos: readonly SloDefinition[],
  opts: DashboardOptions,
): DashboardDefinition {
  const services = [...new Set(slos.map((s) => s.service))].sort();
  const first = services[0];
  if (first === undefined) {
    throw new DashboardInputError(
      "No SLOs to show: the stage dashboard needs at least one SLO under slos/",
    );
  }
  const period = opts.periodSeconds ?? SLO_METRIC_PERIOD_SECONDS;
  const sloDims = ["SLO", "Service", STAGE_DIMENSION];
  const graph = (
    title: string,
    metricName: string,
    statistic: string,
    extra: Partial<MetricWidget["properties"]> = {},
    dims: readonly string[] = sloDims,
  ): Unplaced<MetricWidget> => ({
    type: "metric",
    width: 8,
    height: 7,
    properties: {
      title,
      region: opts.region,
      view: "timeSeries",
      period,
      stat: statistic,
      metrics: [
        expressionEntry(search(metricName, dims, opts.stage, first, statistic, period), {
          id: metricName.toLowerCase(),
        }),
      ],
      legend: { position: "bottom" },
      ...extra,
    },
  });
  const objectives = slos.flatMap(objectiveViews).length;
  const full = opts.metrics === "full";
  const header: Unplaced<TextWidget> = {
    type: "text",
    width: 24,
    height: 3,
    properties: {
      markdown: [
        `# SLOs of ${serviceFilter(first)} (stage ${md(opts.stage)})`,
        `Pick the service in the **Service** list above (${services.length} services, ${objectives} objectives). ` +
          (full
            ? "One line per SLO; click a legend entry to see that SLO alone. Burn-rate thresholds per tier are in each SLO's alarm descriptions."
            : "The graph is the service's alert state, its worst SLO's; CloudWatch has it only while a tier fires, so no data means nothing fires. Each SLO's numbers: below.") +
          " Canaries and the fleet summary: the fleet dashboard.",
      ].join("\n\n"),
    },
  };
  const alertStateAnnotations = {
    annotations: {
      horizontal: [
        { label: "page", value: 2, color: COLORS.page },
        { label: "ticket", value: 1, color: COLORS.ticket },
      ],
    },
    yAxis: { left: { min: 0, max: 2 } },
  };
  const widgets: Unplaced<DashboardWidget>[] = full
    ? [
        header,
        graph("SLI (1 = every event good)", SLO_METRICS.sli, "Average", {
          yAxis: { left: { max: 1 } },
        }),
        graph(
          "Error budget remaining (1 = untouched)",
          SLO_METRICS.errorBudgetRemaining,
          "Minimum",
          {
            annotations: {
              horizontal: [
                { label: "exhausted", value: 0, color: COLORS.exhausted, fill: "below" },
              ],
            },
            yAxis: { left: { max: 1 } },
          },
        ),
        graph(
          "Burn rate by SLO and window",
          SLO_METRICS.burnRate,
          "Maximum",
          { yAxis: { left: { min: 0 } } },
          [...sloDims, "Window"],
        ),
      ]
    : [
        header,
        // The per-service AlertState (`serviceAlertStateMetric`): no SLO dimension.
        {
          ...graph(
            "Alert state of the service (2 page, 1 ticket; no data: nothing fires)",
            SLO_METRICS.alertState,
            "Maximum",
            alertStateAnnotations,
            ["Service", STAGE_DIMENSION],
          ),
          width: 24,
          height: 6,
        },
        perSloDetailWidget(opts.stage, serviceFilter(first)),
      ];
  const variable: DashboardVariable = {
    type: "pattern",
    pattern: serviceFilter(first),
    inputType: "select",
    id: SERVICE_VARIABLE_ID,
    label: "Service",
    defaultValue: serviceFilter(first),
    visible: true,
    values: services.map((s) => ({ value: serviceFilter(s), label: s })),
  };
  const def: DashboardDefinition = {
    name: dashboardName(opts.prefix ? `${opts.prefix}-slos` : "slos"),
    body: {
      start: opts.start ?? "-P7D",
      periodOverride: "inherit",
      variables: [variable],
      widgets: layout(widgets),
    },
  };
  assertWithinLimits(def);
  return def;
}
