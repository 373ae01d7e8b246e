import { SloPlatformError } from "../errors.ts";
import type { MetricRef } from "./metrics.ts";

/**
 * CloudWatch dashboard body types and the small helpers the dashboard builders share:
 * metric array entries, grid layout and the service limits checked before a body is
 * handed to `PutDashboard`.
 */

/** Options object at the end of a metric array entry. */
export interface MetricEntryOptions {
  readonly id?: string;
  readonly label?: string;
  readonly stat?: string;
  readonly period?: number;
  readonly visible?: boolean;
  readonly color?: string;
  readonly yAxis?: "left" | "right";
}

/** `[namespace, metricName, dim1, value1, ..., options]` or `[{ expression, ... }]`. */
export type MetricEntry =
  | readonly (string | MetricEntryOptions)[]
  | readonly [MetricEntryOptions & { readonly expression: string }];

export interface HorizontalAnnotation {
  readonly label: string;
  readonly value: number;
  readonly color?: string;
  readonly fill?: "above" | "below";
}

export interface WidgetBase {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface MetricWidget extends WidgetBase {
  readonly type: "metric";
  readonly properties: {
    readonly title: string;
    readonly region: string;
    readonly view: "timeSeries" | "singleValue" | "bar" | "gauge";
    readonly stacked?: boolean;
    readonly period: number;
    readonly stat: string;
    readonly metrics: readonly MetricEntry[];
    readonly annotations?: { readonly horizontal: readonly HorizontalAnnotation[] };
    readonly yAxis?: {
      readonly left?: { readonly min?: number; readonly max?: number; readonly label?: string };
    };
    readonly setPeriodToTimeRange?: boolean;
    readonly legend?: { readonly position: "bottom" | "right" | "hidden" };
  };
}

export interface TextWidget extends WidgetBase {
  readonly type: "text";
  readonly properties: { readonly markdown: string };
}

export interface AlarmStatusWidget extends WidgetBase {
  readonly type: "alarm";
  readonly properties: { readonly title: string; readonly alarms: readonly string[] };
}

export type DashboardWidget = MetricWidget | TextWidget | AlarmStatusWidget;

/**
 * A dashboard variable (`PutDashboard` body `variables`): a `pattern` variable replaces
 * every match of `pattern` in the body with the value picked in the toolbar.
 */
export interface DashboardVariable {
  readonly type: "pattern";
  readonly pattern: string;
  readonly inputType: "select" | "radio";
  readonly id: string;
  readonly label: string;
  readonly defaultValue: string;
  readonly visible: boolean;
  readonly values: readonly { readonly value: string; readonly label: string }[];
}

export interface DashboardBody {
  readonly start: string;
  readonly periodOverride: "auto" | "inherit";
  readonly variables?: readonly DashboardVariable[];
  readonly widgets: readonly DashboardWidget[];
}

/** A dashboard as data: infra passes `name` and `JSON.stringify(body)` to `aws.cloudwatch.Dashboard`. */
export interface DashboardDefinition {
  readonly name: string;
  readonly body: DashboardBody;
}

/** Thrown when a dashboard would exceed a CloudWatch limit. */
export class DashboardLimitError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "DashboardLimitError";
  }
}

// CloudWatch limits: 500 widgets per dashboard, 500 metrics (entries) per graph,
// 2,500 metrics per dashboard; PutDashboard bodies must stay under 1 MB.
export const MAX_WIDGETS = 500;
export const MAX_METRICS_PER_WIDGET = 500;
export const MAX_METRICS_PER_DASHBOARD = 2500;
export const MAX_BODY_BYTES = 1_000_000;
/** Dashboard grid width in CloudWatch units. */
export const GRID_WIDTH = 24;

export const COLORS = {
  page: "#d62728",
  ticket: "#ff7f0e",
  objective: "#2ca02c",
  exhausted: "#d62728",
} as const;

/** A metric reference as a dashboard metric array entry. */
export function metricEntry(ref: MetricRef, options: MetricEntryOptions = {}): MetricEntry {
  const dims = Object.entries(ref.dimensions).flat();
  return [ref.namespace, ref.metricName, ...dims, options];
}

/** A metric-math expression entry. */
export function expressionEntry(
  expression: string,
  options: Omit<MetricEntryOptions, "stat" | "period"> = {},
): MetricEntry {
  return [{ expression, ...options }];
}

export type Unplaced<W extends DashboardWidget> = Omit<W, "x" | "y">;

/**
 * Places widgets left to right on the 24-unit grid, wrapping to a new row when a
 * widget does not fit; a row is as tall as its tallest widget.
 */
export function layout(widgets: readonly Unplaced<DashboardWidget>[]): DashboardWidget[] {
  const placed: DashboardWidget[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const w of widgets) {
    if (x + w.width > GRID_WIDTH) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    placed.push({ ...w, x, y } as DashboardWidget);
    x += w.width;
    rowHeight = Math.max(rowHeight, w.height);
  }
  return placed;
}

/** Throws {@link DashboardLimitError} when `def` would be rejected by CloudWatch. */
export function assertWithinLimits(def: DashboardDefinition): void {
  const { widgets } = def.body;
  if (widgets.length > MAX_WIDGETS) {
    throw new DashboardLimitError(
      `Dashboard "${def.name}" has ${widgets.length} widgets (CloudWatch allows ${MAX_WIDGETS}): split the SLO set across dashboards (e.g. one per team)`,
    );
  }
  let total = 0;
  for (const w of widgets) {
    if (w.type !== "metric") continue;
    const n = w.properties.metrics.length;
    total += n;
    if (n > MAX_METRICS_PER_WIDGET) {
      throw new DashboardLimitError(
        `Dashboard "${def.name}" widget "${w.properties.title}" has ${n} metrics (CloudWatch allows ${MAX_METRICS_PER_WIDGET} per graph): split the SLO set across dashboards`,
      );
    }
  }
  if (total > MAX_METRICS_PER_DASHBOARD) {
    throw new DashboardLimitError(
      `Dashboard "${def.name}" has ${total} metrics (CloudWatch allows ${MAX_METRICS_PER_DASHBOARD}): split the SLO set across dashboards`,
    );
  }
  const bytes = new TextEncoder().encode(JSON.stringify(def.body)).length;
  if (bytes >= MAX_BODY_BYTES) {
    throw new DashboardLimitError(
      `Dashboard "${def.name}" body is ${bytes} bytes (CloudWatch accepts under ${MAX_BODY_BYTES}): split the SLO set across dashboards`,
    );
  }
}

/** Markdown-safe text for table cells and headings. */
export function md(text: string): string {
  return text.replace(/[\\`*_[\]|<>#]/g, (c) => `\\${c}`);
}
