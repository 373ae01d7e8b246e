import type { SloDefinition } from "../spec/model.ts";
import { formatDuration } from "../time/duration.ts";
import {
  canarySuccessMetric,
  objectiveViews,
  SLO_METRIC_PERIOD_SECONDS,
  SLO_METRICS,
  serviceAlertStateMetric,
  sloMetric,
} from "./metrics.ts";
import { dashboardName } from "./names.ts";
import { perSloDetailWidget } from "./per-slo-detail.ts";
import { alarmWidgets, DashboardInputError, type DashboardOptions } from "./service-dashboard.ts";
import {
  assertWithinLimits,
  COLORS,
  type DashboardDefinition,
  type DashboardWidget,
  expressionEntry,
  layout,
  type MetricEntry,
  type MetricWidget,
  md,
  metricEntry,
  type TextWidget,
  type Unplaced,
} from "./widgets.ts";

export interface FleetDashboardOptions extends DashboardOptions {
  /** Dashboard title and name suffix (default `fleet`). */
  readonly title?: string;
}

function byService(slos: readonly SloDefinition[]): Map<string, SloDefinition[]> {
  const groups = new Map<string, SloDefinition[]>();
  for (const slo of [...slos].sort((a, b) => a.name.localeCompare(b.name))) {
    const list = groups.get(slo.service) ?? [];
    list.push(slo);
    groups.set(slo.service, list);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(6))}%`;
}

function summaryTable(groups: Map<string, SloDefinition[]>): string {
  const rows = [...groups].map(([service, list]) => {
    const objectives = list
      .map((s) => `${md(s.name)} ${s.objectives.map((o) => pct(o.target)).join("/")}`)
      .join(", ");
    const windows = [
      ...new Set(
        list.map((s) =>
          s.timeWindow.type === "rolling"
            ? formatDuration(s.timeWindow.durationMs)
            : `${s.timeWindow.count} ${s.timeWindow.unit}`,
        ),
      ),
    ].join(", ");
    return `| ${md(service)} | ${list.length} | ${windows} | ${objectives} |`;
  });
  return ["| Service | SLOs | Window | Objectives |", "|---|---|---|---|", ...rows].join("\n");
}

/**
 * Metric-math "count of series matching a condition": every series hidden, one
 * `IF(...)` per series, and their `SUM`. Keeps the count exact at any fleet size,
 * unlike a SEARCH that silently caps at 500 results.
 */
function countWhere(
  series: readonly { entry: (id: string) => MetricEntry }[],
  prefix: string,
  condition: (id: string) => string,
  label: string,
): MetricEntry[] {
  const hidden = series.map((s, i) => s.entry(`${prefix}${i}`));
  const flags = series.map((_, i) =>
    expressionEntry(`IF(${condition(`${prefix}${i}`)}, 1, 0)`, {
      id: `${prefix}f${i}`,
      visible: false,
    }),
  );
  const ids = series.map((_, i) => `${prefix}f${i}`).join(", ");
  return [...hidden, ...flags, expressionEntry(`SUM([${ids}])`, { id: `${prefix}sum`, label })];
}

/**
 * The executive fleet view: a summary table of every service's SLOs, headline
 * numbers (SLOs out of error budget, SLO alerts firing, canaries failing), the worst
 * error budget remaining per service, alerts firing per service over time and canary
 * success per service (+ alarm-status widgets when `alarmArns` given).
 *
 * "Alert firing" reads the `AlertState` metric the burn-rate evaluator publishes and
 * counts any value above 0 as firing: per objective in `full`, per service in `minimal`
 * (which has no metric per objective, so no budget graph; a text widget says where each
 * SLO's numbers are).
 *
 * @example
 * const fleet = buildFleetDashboard(slos, { region: "eu-west-1", prefix: "slo-production" });
 * JSON.stringify(fleet.body).length < 1_000_000; // true, and checked when building
 */
export function buildFleetDashboard(
  slos: readonly SloDefinition[],
  opts: FleetDashboardOptions,
): DashboardDefinition {
  if (slos.length === 0) {
    throw new DashboardInputError(
      "The fleet dashboard needs at least one SLO: add SLO definitions under slos/ first",
    );
  }
  const period = opts.periodSeconds ?? SLO_METRIC_PERIOD_SECONDS;
  const groups = byService(slos.flatMap(objectiveViews));
  const services = [...groups.keys()];
  const ordered = [...groups.values()].flat();
  const title = opts.title ?? "fleet";

  const header: Unplaced<TextWidget> = {
    type: "text",
    width: 24,
    height: Math.min(20, 3 + services.length),
    properties: {
      markdown: [
        `# SLO ${md(title)}: ${services.length} services, ${ordered.length} SLOs`,
        summaryTable(groups),
      ].join("\n\n"),
    },
  };

  const single = (widgetTitle: string, metrics: MetricEntry[]): Unplaced<MetricWidget> => ({
    type: "metric",
    width: 8,
    height: 4,
    properties: {
      title: widgetTitle,
      region: opts.region,
      view: "singleValue",
      period,
      stat: "Maximum",
      metrics,
    },
  });

  const budgetSeries = ordered.map((slo) => ({
    entry: (id: string) =>
      metricEntry(sloMetric(slo, SLO_METRICS.errorBudgetRemaining, opts.stage), {
        id,
        stat: "Minimum",
        visible: false,
      }),
  }));
  const alertSeries = ordered.map((slo) => ({
    entry: (id: string) =>
      metricEntry(sloMetric(slo, SLO_METRICS.alertState, opts.stage), {
        id,
        stat: "Maximum",
        visible: false,
      }),
  }));
  const canarySeries = services.map((service) => ({
    entry: (id: string) =>
      metricEntry(canarySuccessMetric(service, opts.stage), {
        id,
        stat: "Average",
        visible: false,
      }),
  }));

  if (opts.metrics === "minimal") {
    return minimalFleetDashboard(services, header, canarySeries, single, period, title, opts);
  }

  const headline = [
    single(
      "SLOs out of error budget",
      countWhere(budgetSeries, "b", (id) => `${id} <= 0`, "SLOs with budget <= 0"),
    ),
    single(
      "SLO alerts firing",
      countWhere(alertSeries, "a", (id) => `${id} > 0`, "SLOs with an alert firing"),
    ),
    single(
      "Canaries failing",
      countWhere(canarySeries, "c", (id) => `${id} < 90`, "canaries below 90% success"),
    ),
  ];

  // Per service: hidden per-SLO series, then one expression per service.
  const perService = (
    prefix: string,
    series: (slo: SloDefinition, id: string) => MetricEntry,
    combine: (ids: string[]) => string,
  ): MetricEntry[] => {
    const entries: MetricEntry[] = [];
    const exprs: MetricEntry[] = [];
    let n = 0;
    services.forEach((service, si) => {
      const ids: string[] = [];
      for (const slo of groups.get(service) ?? []) {
        const id = `${prefix}${n++}`;
        ids.push(id);
        entries.push(series(slo, id));
      }
      exprs.push(expressionEntry(combine(ids), { id: `${prefix}s${si}`, label: service }));
    });
    return [...entries, ...exprs];
  };

  const worstBudget: Unplaced<MetricWidget> = {
    type: "metric",
    width: 24,
    height: 6,
    properties: {
      title: "Error budget remaining: worst SLO per service (1 = untouched, <= 0 = exhausted)",
      region: opts.region,
      view: "bar",
      period,
      stat: "Minimum",
      setPeriodToTimeRange: true,
      metrics: perService(
        "e",
        (slo, id) =>
          metricEntry(sloMetric(slo, SLO_METRICS.errorBudgetRemaining, opts.stage), {
            id,
            visible: false,
          }),
        (ids) => `MIN([${ids.join(", ")}])`,
      ),
      annotations: { horizontal: [{ label: "exhausted", value: 0, color: COLORS.exhausted }] },
    },
  };

  const alertsByService: Unplaced<MetricWidget> = {
    type: "metric",
    width: 12,
    height: 6,
    properties: {
      title: "SLO alerts firing per service",
      region: opts.region,
      view: "timeSeries",
      stacked: true,
      period,
      stat: "Maximum",
      metrics: perService(
        "f",
        (slo, id) =>
          metricEntry(sloMetric(slo, SLO_METRICS.alertState, opts.stage), { id, visible: false }),
        (ids) => ids.map((id) => `IF(${id} > 0, 1, 0)`).join(" + "),
      ),
      yAxis: { left: { min: 0 } },
    },
  };

  const canaries = canaryWidget(services, opts);

  const widgets: Unplaced<DashboardWidget>[] = [
    header,
    ...headline,
    worstBudget,
    alertsByService,
    canaries,
    ...alarmWidgets(opts.alarmArns, "Alarms"),
  ];
  return fleetDefinition(title, opts, widgets);
}

/**
 * The fleet view of a `minimal` stage, which publishes no metric per objective: the
 * headline counts and a graph over each service's `AlertState` (published only while a
 * tier fires, so a blank count or a missing line means nothing fires), canaries, and
 * where each SLO's numbers are.
 */
function minimalFleetDashboard(
  services: readonly string[],
  header: Unplaced<TextWidget>,
  canarySeries: readonly { entry: (id: string) => MetricEntry }[],
  single: (widgetTitle: string, metrics: MetricEntry[]) => Unplaced<MetricWidget>,
  period: number,
  title: string,
  opts: FleetDashboardOptions,
): DashboardDefinition {
  const stateSeries = services.map((service) => ({
    entry: (id: string) =>
      metricEntry(serviceAlertStateMetric(service, opts.stage), {
        id,
        stat: "Maximum",
        visible: false,
      }),
  }));
  const states: Unplaced<MetricWidget> = {
    type: "metric",
    width: 12,
    height: 6,
    properties: {
      title: "Alert state per service (2 page, 1 ticket; no line: nothing fires)",
      region: opts.region,
      view: "timeSeries",
      period,
      stat: "Maximum",
      metrics: services.map((service) =>
        metricEntry(serviceAlertStateMetric(service, opts.stage), { label: service }),
      ),
      annotations: {
        horizontal: [
          { label: "page", value: 2, color: COLORS.page },
          { label: "ticket", value: 1, color: COLORS.ticket },
        ],
      },
      yAxis: { left: { min: 0, max: 2 } },
    },
  };
  const widgets: Unplaced<DashboardWidget>[] = [
    header,
    single(
      "Services with a page tier firing (blank: none)",
      countWhere(stateSeries, "p", (id) => `${id} >= 2`, "services paging"),
    ),
    single(
      "Services with an SLO alert firing (blank: none)",
      countWhere(stateSeries, "a", (id) => `${id} > 0`, "services with an alert firing"),
    ),
    single(
      "Canaries failing",
      countWhere(canarySeries, "c", (id) => `${id} < 90`, "canaries below 90% success"),
    ),
    states,
    canaryWidget(services, opts),
    perSloDetailWidget(opts.stage),
    ...alarmWidgets(opts.alarmArns, "Alarms"),
  ];
  return fleetDefinition(title, opts, widgets);
}

function fleetDefinition(
  title: string,
  opts: FleetDashboardOptions,
  widgets: Unplaced<DashboardWidget>[],
): DashboardDefinition {
  const def: DashboardDefinition = {
    name: dashboardName(opts.prefix ? `${opts.prefix}-${title}` : title),
    body: { start: opts.start ?? "-P7D", periodOverride: "inherit", widgets: layout(widgets) },
  };
  assertWithinLimits(def);
  return def;
}

function canaryWidget(
  services: readonly string[],
  opts: FleetDashboardOptions,
): Unplaced<MetricWidget> {
  return {
    type: "metric",
    width: 12,
    height: 6,
    properties: {
      title: "Canary success % per service",
      region: opts.region,
      view: "timeSeries",
      period: 300,
      stat: "Average",
      metrics: services.map((service) =>
        metricEntry(canarySuccessMetric(service, opts.stage), { label: service }),
      ),
      annotations: { horizontal: [{ label: "alarm < 90%", value: 90, color: COLORS.page }] },
      yAxis: { left: { min: 0, max: 100 } },
    },
  };
}
