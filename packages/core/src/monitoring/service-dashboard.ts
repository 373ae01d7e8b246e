import { SloPlatformError } from "../errors.ts";
import type { SloDefinition } from "../spec/model.ts";
import { formatDuration } from "../time/duration.ts";
import {
  alertWindows,
  burnRateMetric,
  canarySuccessMetric,
  type MetricsProfile,
  objectiveViews,
  SLO_METRIC_PERIOD_SECONDS,
  SLO_METRICS,
  serviceAlertStateMetric,
  sloMetric,
  windowLabel,
} from "./metrics.ts";
import { canaryName, dashboardName } from "./names.ts";
import { perSloDetailWidget } from "./per-slo-detail.ts";
import {
  type AlarmStatusWidget,
  assertWithinLimits,
  COLORS,
  type DashboardDefinition,
  type DashboardWidget,
  layout,
  type MetricWidget,
  md,
  metricEntry,
  type TextWidget,
  type Unplaced,
} from "./widgets.ts";

export interface DashboardOptions {
  /** AWS region the metrics live in (dashboard widgets need it). */
  readonly region: string;
  /** Prepended to the dashboard name, e.g. `slo-production`. */
  readonly prefix?: string;
  /** Initial time range, ISO 8601 duration relative to now (default `-P7D`). */
  readonly start?: string;
  /** Period of the SLO metric graphs (default 300 s). */
  readonly periodSeconds?: number;
  /** ARNs of alarms to show in an alarm-status widget (at most 100 per widget; more become more widgets). */
  readonly alarmArns?: readonly string[];
  /** The stage whose metrics the widgets show (`Stage` dimension) and canaries are named for. */
  readonly stage: string;
  /**
   * The stage's metrics profile: `full` graphs every objective's metrics; `minimal` (no
   * metric per objective published) graphs each service's `AlertState` and points to
   * the per-SLO numbers (stage report, `slo gate --aws`, the "slo values" log lines).
   */
  readonly metrics: MetricsProfile;
}

/** Thrown when a dashboard is asked for with inputs it cannot be built from. */
export class DashboardInputError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "DashboardInputError";
  }
}

const ALARMS_PER_WIDGET = 100;

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(6))}%`;
}

function windowText(slo: SloDefinition): string {
  const w = slo.timeWindow;
  return w.type === "rolling"
    ? `${formatDuration(w.durationMs)} rolling`
    : `${w.count} ${w.unit} (calendar, ${w.timeZone})`;
}

function objectiveText(slo: SloDefinition): string {
  return slo.objectives
    .map((o) =>
      o.op !== undefined && o.value !== undefined
        ? `${pct(o.target)} of events ${o.op} ${o.value}`
        : `${pct(o.target)} good`,
    )
    .join("; ");
}

function sloHeader(slo: SloDefinition): Unplaced<TextWidget> {
  const title = slo.displayName ? `${slo.displayName} (${slo.name})` : slo.name;
  const lines = [
    `### ${md(title)}`,
    `Objective: ${md(objectiveText(slo))} · window ${md(windowText(slo))} · ${md(slo.budgetingMethod)}` +
      (slo.description ? ` · ${md(slo.description)}` : ""),
  ];
  return { type: "text", width: 24, height: 2, properties: { markdown: lines.join("\n\n") } };
}

function sliWidget(
  slo: SloDefinition,
  region: string,
  period: number,
  stage: string,
): Unplaced<MetricWidget> {
  const lowest = Math.min(...slo.objectives.map((o) => o.target));
  // Zoom so the objective line sits in the upper part of the graph: a 99.9% SLI
  // drawn on a 0-100% axis looks flat however bad it is.
  const min = Math.max(0, Number((1 - 10 * (1 - lowest)).toFixed(6)));
  return {
    type: "metric",
    width: 8,
    height: 6,
    properties: {
      title: `SLI vs objective: ${slo.name}`,
      region,
      view: "timeSeries",
      period,
      stat: "Average",
      metrics: [metricEntry(sloMetric(slo, SLO_METRICS.sli, stage), { label: "SLI", id: "sli" })],
      annotations: {
        horizontal: slo.objectives.map((o) => ({
          label: `objective ${o.name} ${pct(o.target)}`,
          value: o.target,
          color: COLORS.objective,
        })),
      },
      yAxis: { left: { min, max: 1 } },
    },
  };
}

function budgetWidget(
  slo: SloDefinition,
  region: string,
  period: number,
  stage: string,
): Unplaced<MetricWidget> {
  return {
    type: "metric",
    width: 8,
    height: 6,
    properties: {
      title: `Error budget remaining: ${slo.name}`,
      region,
      view: "timeSeries",
      period,
      stat: "Minimum",
      metrics: [
        metricEntry(sloMetric(slo, SLO_METRICS.errorBudgetRemaining, stage), {
          label: "budget remaining (1 = untouched)",
          id: "budget",
        }),
      ],
      annotations: {
        horizontal: [{ label: "exhausted", value: 0, color: COLORS.exhausted, fill: "below" }],
      },
      yAxis: { left: { max: 1 } },
    },
  };
}

function burnWidget(
  slo: SloDefinition,
  region: string,
  period: number,
  stage: string,
): Unplaced<MetricWidget> {
  return {
    type: "metric",
    width: 8,
    height: 6,
    properties: {
      title: `Burn rate by window: ${slo.name}`,
      region,
      view: "timeSeries",
      period,
      stat: "Maximum",
      metrics: alertWindows(slo).map((w, i) =>
        metricEntry(burnRateMetric(slo, w, stage), { label: windowLabel(w), id: `w${i}` }),
      ),
      annotations: {
        horizontal: slo.alertTiers.map((t) => ({
          label: `${t.name} (${t.severity}): ${windowLabel(t.longWindowMs)}+${windowLabel(t.shortWindowMs)} > ${t.burnRateThreshold}`,
          value: t.burnRateThreshold,
          color: COLORS[t.severity],
        })),
      },
      yAxis: { left: { min: 0 } },
    },
  };
}

/**
 * The service's `AlertState` (its worst objective's: 0 ok, 1 ticket, 2 page) for
 * `minimal` stages, which publish it per service and only while a tier fires.
 */
function serviceStateWidget(
  service: string,
  region: string,
  period: number,
  stage: string,
): Unplaced<MetricWidget> {
  return {
    type: "metric",
    width: 24,
    height: 6,
    properties: {
      title: `Alert state of ${service} (2 page, 1 ticket; no data: nothing fires)`,
      region,
      view: "timeSeries",
      period,
      stat: "Maximum",
      metrics: [
        metricEntry(serviceAlertStateMetric(service, stage), { label: "AlertState", id: "state" }),
      ],
      annotations: {
        horizontal: [
          { label: "page", value: 2, color: COLORS.page },
          { label: "ticket", value: 1, color: COLORS.ticket },
        ],
      },
      yAxis: { left: { min: 0, max: 2 } },
    },
  };
}

/** Alarm status widgets, 100 ARNs each (the widget's limit). */
export function alarmWidgets(
  arns: readonly string[] | undefined,
  title: string,
): Unplaced<AlarmStatusWidget>[] {
  if (!arns || arns.length === 0) return [];
  const widgets: Unplaced<AlarmStatusWidget>[] = [];
  for (let i = 0; i < arns.length; i += ALARMS_PER_WIDGET) {
    const chunk = arns.slice(i, i + ALARMS_PER_WIDGET);
    widgets.push({
      type: "alarm",
      width: 24,
      height: Math.min(12, 2 + Math.ceil(chunk.length / 4)),
      properties: {
        title: arns.length > ALARMS_PER_WIDGET ? `${title} (${i / ALARMS_PER_WIDGET + 1})` : title,
        alarms: chunk,
      },
    });
  }
  return widgets;
}

/**
 * The per-service SLO dashboard: a header, the canary's success rate, then (`full`) per
 * SLO a description row and three graphs (SLI against its objective, error budget
 * remaining, burn rate per alert window with every tier's threshold drawn as an
 * annotation): 2 + 4 per SLO widgets; or (`minimal`, nothing per objective published)
 * the service's alert state and where each SLO's numbers are: 4 widgets. Plus
 * alarm-status widgets when `alarmArns` given.
 *
 * @example
 * const { name, body } = buildServiceDashboard("order-service", slos, {
 *   region: "eu-west-1",
 *   prefix: "slo-production",
 * });
 * new aws.cloudwatch.Dashboard(name, { dashboardName: name, dashboardBody: JSON.stringify(body) });
 */
export function buildServiceDashboard(
  service: string,
  slos: readonly SloDefinition[],
  opts: DashboardOptions,
): DashboardDefinition {
  const own = slos.filter((s) => s.service === service).flatMap(objectiveViews);
  if (own.length === 0) {
    const known = [...new Set(slos.map((s) => s.service))].sort().join(", ") || "none";
    throw new DashboardInputError(
      `No SLO has spec.service "${service}" (services with SLOs: ${known}): pass one of those, or add an SLO for "${service}" under slos/`,
    );
  }
  const period = opts.periodSeconds ?? SLO_METRIC_PERIOD_SECONDS;
  const header: Unplaced<TextWidget> = {
    type: "text",
    width: 16,
    height: 4,
    properties: {
      markdown: [
        `# ${md(service)}: SLOs`,
        `${own.length} SLO${own.length === 1 ? "" : "s"}: ${own.map((s) => md(s.name)).join(", ")}.`,
        `Burn-rate thresholds are drawn as red (page) and orange (ticket) lines; an alert fires when both its long and short window are above the line.`,
      ].join("\n\n"),
    },
  };
  const canary: Unplaced<MetricWidget> = {
    type: "metric",
    width: 8,
    height: 4,
    properties: {
      title: `Canary ${canaryName(service, opts.stage)} success %`,
      region: opts.region,
      view: "timeSeries",
      period: 300,
      stat: "Average",
      metrics: [metricEntry(canarySuccessMetric(service, opts.stage), { label: "success %" })],
      annotations: { horizontal: [{ label: "alarm < 90%", value: 90, color: COLORS.page }] },
      yAxis: { left: { min: 0, max: 100 } },
    },
  };
  const widgets: Unplaced<DashboardWidget>[] = [
    header,
    canary,
    ...alarmWidgets(opts.alarmArns, `${service} alarms`),
    // `minimal` publishes nothing per objective: the service's state, and where each SLO's
    // numbers are.
    ...(opts.metrics === "full"
      ? own.flatMap((slo) => [
          sloHeader(slo),
          sliWidget(slo, opts.region, period, opts.stage),
          budgetWidget(slo, opts.region, period, opts.stage),
          burnWidget(slo, opts.region, period, opts.stage),
        ])
      : [
          serviceStateWidget(service, opts.region, period, opts.stage),
          perSloDetailWidget(opts.stage),
        ]),
  ];
  const def: DashboardDefinition = {
    name: dashboardName(opts.prefix ? `${opts.prefix}-${service}` : service),
    body: { start: opts.start ?? "-P7D", periodOverride: "inherit", widgets: layout(widgets) },
  };
  assertWithinLimits(def);
  return def;
}
