import {
  alertWindows,
  burnRateMetric,
  type MetricsProfile,
  objectiveViews,
  serviceAlertStateMetric,
  sloMetric,
} from "../monitoring/metrics.ts";
import { sloValuesQuery } from "../monitoring/per-slo-detail.ts";
import { periodMs } from "../spec/alert-tiers.ts";
import type { SloDefinition } from "../spec/model.ts";
import { STAGE_REPORT_KEY } from "../stage-report/model.ts";
import { errorRatioRecord, promDuration } from "./prometheus-rules.ts";

export type GrafanaBackend = "prometheus" | "cloudwatch";

/** One Grafana panel target: PromQL or a CloudWatch metric query. */
export type GrafanaTarget =
  | {
      readonly refId: string;
      readonly datasource: GrafanaDatasource;
      readonly expr: string;
      readonly legendFormat: string;
    }
  | {
      readonly refId: string;
      readonly datasource: GrafanaDatasource;
      readonly namespace: string;
      readonly metricName: string;
      readonly dimensions: Readonly<Record<string, string>>;
      readonly statistic: string;
      readonly period: string;
      readonly region: string;
      readonly label: string;
      readonly queryMode: "Metrics";
      readonly metricQueryType: 0;
      readonly metricEditorMode: 0;
    };

export interface GrafanaDatasource {
  readonly type: "prometheus" | "cloudwatch";
  readonly uid: string;
}

export interface GrafanaPanel {
  readonly id: number;
  /** `text` panels (markdown in `options.content`) have no targets. */
  readonly type: "timeseries" | "stat" | "state-timeline" | "text";
  readonly title: string;
  readonly gridPos: {
    readonly h: number;
    readonly w: number;
    readonly x: number;
    readonly y: number;
  };
  readonly datasource: GrafanaDatasource;
  readonly targets: readonly GrafanaTarget[];
  readonly fieldConfig: {
    readonly defaults: Record<string, unknown>;
    readonly overrides: readonly unknown[];
  };
  readonly options: Record<string, unknown>;
}

/** A dashboard as Grafana's import API and file provisioning take it. */
export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly timezone: "utc";
  readonly schemaVersion: number;
  readonly version: number;
  readonly editable: boolean;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly templating: { readonly list: readonly unknown[] };
  readonly annotations: { readonly list: readonly unknown[] };
  readonly panels: readonly GrafanaPanel[];
}

/** Schema version of Grafana 10/11 dashboards (what Amazon Managed Grafana runs). */
export const GRAFANA_SCHEMA_VERSION = 39;

/** Dashboard uids: at most 40 characters of letters, digits, `-` and `_`. */
function uid(service: string, backend: GrafanaBackend): string {
  return `slo-${service}-${backend === "prometheus" ? "prom" : "cw"}`
    .replace(/[^A-Za-z0-9_-]/g, "-")
    .slice(0, 40);
}

/**
 * One Grafana dashboard per service: per SLO objective a row of SLI (against the
 * objective), error budget remaining (burn-down), burn rate per alert window and alert
 * state. `prometheus` reads the recording rules of `slo export prometheus-rules`;
 * `cloudwatch` reads the `Custom/SLO` metrics the jobs publish, as the stage's metrics
 * profile says (`metrics`, default `minimal` like the stages): `full` has every
 * objective's metrics; `minimal` has none per objective, so its dashboard is the
 * service's `AlertState` and a text panel saying where each SLO's numbers are.
 *
 * @example
 * const dashboards = grafanaDashboards(slos, { backend: "prometheus", datasourceUid: "amp" });
 */
export function grafanaDashboards(
  slos: readonly SloDefinition[],
  opts: {
    readonly backend: GrafanaBackend;
    readonly datasourceUid: string;
    readonly stage?: string;
    readonly region?: string;
    /** The stage's metrics profile (`cloudwatch` only; default `minimal`). */
    readonly metrics?: MetricsProfile;
  },
): GrafanaDashboard[] {
  const datasource: GrafanaDatasource = { type: opts.backend, uid: opts.datasourceUid };
  const stage = opts.stage ?? "production";
  const region = opts.region ?? "default";
  const byService = new Map<string, SloDefinition[]>();
  for (const slo of slos) byService.set(slo.service, [...(byService.get(slo.service) ?? []), slo]);
  const perService = opts.backend === "cloudwatch" && (opts.metrics ?? "minimal") === "minimal";
  return [...byService].map(([service, list]) => {
    if (perService) {
      return dashboard(
        service,
        opts.backend,
        serviceStatePanels(service, list, datasource, stage, region),
      );
    }
    const panels: GrafanaPanel[] = [];
    let y = 0;
    let nextId = 1;
    for (const slo of list.flatMap(objectiveViews)) {
      const objective = slo.objectives[0];
      if (!objective) continue;
      const match = `{slo="${slo.name.split("/")[0]}",objective="${objective.name}"}`;
      const prom = (refId: string, expr: string, legendFormat: string): GrafanaTarget => ({
        refId,
        datasource,
        expr,
        legendFormat,
      });
      const cw = (
        refId: string,
        m: ReturnType<typeof sloMetric>,
        statistic: string,
        label: string,
      ): GrafanaTarget => ({
        refId,
        datasource,
        namespace: m.namespace,
        metricName: m.metricName,
        dimensions: m.dimensions,
        statistic,
        period: "300",
        region,
        label,
        queryMode: "Metrics",
        metricQueryType: 0,
        metricEditorMode: 0,
      });
      const period = periodMs(slo.timeWindow);
      const budget = 1 - objective.target;
      const sliTargets =
        opts.backend === "prometheus"
          ? [prom("A", `1 - ${errorRatioRecord(period)}${match}`, `SLI ${promDuration(period)}`)]
          : [cw("A", sloMetric(slo, "SLI", stage), "Average", "SLI")];
      const budgetTargets =
        opts.backend === "prometheus"
          ? [prom("A", `1 - ${errorRatioRecord(period)}${match} / ${budget}`, "budget remaining")]
          : [cw("A", sloMetric(slo, "ErrorBudgetRemaining", stage), "Average", "budget remaining")];
      const burnTargets = alertWindows(slo).map((w, i) =>
        opts.backend === "prometheus"
          ? prom(
              String.fromCharCode(65 + i),
              `${errorRatioRecord(w)}${match} / ${budget}`,
              promDuration(w),
            )
          : cw(
              String.fromCharCode(65 + i),
              burnRateMetric(slo, w, stage),
              "Maximum",
              promDuration(w),
            ),
      );
      const alertTargets =
        opts.backend === "prometheus"
          ? [
              prom(
                "A",
                `max by (tier) (ALERTS{alertname="SLOErrorBudgetBurn",alertstate="firing",slo="${slo.name.split("/")[0]}",objective="${objective.name}"})`,
                "{{tier}}",
              ),
            ]
          : [cw("A", sloMetric(slo, "AlertState", stage), "Maximum", "alert state")];
      const title = `${slo.displayName ?? slo.name}${slo.name.includes("/") ? ` (${objective.name})` : ""}`;
      const panel = (
        type: GrafanaPanel["type"],
        name: string,
        x: number,
        w: number,
        targets: GrafanaTarget[],
        defaults: Record<string, unknown>,
      ): GrafanaPanel => ({
        id: nextId++,
        type,
        title: `${title}: ${name}`,
        gridPos: { h: 8, w, x, y },
        datasource,
        targets,
        fieldConfig: { defaults, overrides: [] },
        options: {},
      });
      panels.push(
        panel("timeseries", `SLI vs objective ${objective.target}`, 0, 6, sliTargets, {
          unit: "percentunit",
          min: Math.max(0, 1 - 10 * budget),
          max: 1,
          thresholds: {
            mode: "absolute",
            steps: [
              { color: "red", value: null },
              { color: "green", value: objective.target },
            ],
          },
        }),
        panel("timeseries", "error budget remaining", 6, 6, budgetTargets, {
          unit: "percentunit",
          max: 1,
          thresholds: {
            mode: "absolute",
            steps: [
              { color: "red", value: null },
              { color: "green", value: 0 },
            ],
          },
        }),
        panel("timeseries", "burn rate per window", 12, 6, burnTargets, { unit: "short", min: 0 }),
        panel(
          opts.backend === "prometheus" ? "state-timeline" : "timeseries",
          "alert state",
          18,
          6,
          alertTargets,
          { unit: "short", min: 0 },
        ),
      );
      y += 8;
    }
    return dashboard(service, opts.backend, panels);
  });
}

function dashboard(
  service: string,
  backend: GrafanaBackend,
  panels: readonly GrafanaPanel[],
): GrafanaDashboard {
  return {
    uid: uid(service, backend),
    title: `SLOs: ${service} (${backend})`,
    tags: ["slo", service, backend],
    timezone: "utc",
    schemaVersion: GRAFANA_SCHEMA_VERSION,
    version: 1,
    editable: true,
    time: { from: "now-7d", to: "now" },
    refresh: "5m",
    templating: { list: [] },
    annotations: { list: [] },
    panels,
  };
}

/**
 * A `minimal` stage's service on CloudWatch: its `AlertState` (the worst objective's,
 * published only while a tier fires) and where each SLO's numbers are.
 */
function serviceStatePanels(
  service: string,
  slos: readonly SloDefinition[],
  datasource: GrafanaDatasource,
  stage: string,
  region: string,
): GrafanaPanel[] {
  const m = serviceAlertStateMetric(service, stage);
  const objectives = slos
    .flatMap(objectiveViews)
    .map((v) => `${v.name} ${v.objectives.map((o) => o.target).join("/")}`);
  return [
    {
      id: 1,
      type: "timeseries",
      title: `${service}: alert state (2 page, 1 ticket; no data: nothing fires)`,
      gridPos: { h: 8, w: 12, x: 0, y: 0 },
      datasource,
      targets: [
        {
          refId: "A",
          datasource,
          namespace: m.namespace,
          metricName: m.metricName,
          dimensions: m.dimensions,
          statistic: "Maximum",
          period: "300",
          region,
          label: "alert state",
          queryMode: "Metrics",
          metricQueryType: 0,
          metricEditorMode: 0,
        },
      ],
      fieldConfig: { defaults: { unit: "short", min: 0, max: 2 }, overrides: [] },
      options: {},
    },
    {
      id: 2,
      type: "text",
      title: `${service}: per-SLO numbers`,
      gridPos: { h: 8, w: 12, x: 12, y: 0 },
      datasource,
      targets: [],
      fieldConfig: { defaults: {}, overrides: [] },
      options: {
        mode: "markdown",
        content: [
          `The stage publishes no metric per SLO objective (metrics profile minimal). SLOs: ${objectives.join(", ")}.`,
          `* Stage report: \`${STAGE_REPORT_KEY}\` in the rollup bucket, rewritten every evaluator run (\`slo gate --aws --stage ${stage} --service ${service}\` reads it).`,
          `* CloudWatch Logs Insights on the SLO jobs' log groups: \`${sloValuesQuery(stage, `Service="${service}"`)}\``,
        ].join("\n"),
      },
    },
  ];
}
