import { describe, expect, it } from "vitest";
import { buildStageDashboards } from "./dashboards.ts";
import { buildLargeFleetDashboard } from "./large-fleet-dashboard.ts";
import { isValidDashboardName } from "./names.ts";
import { DashboardInputError } from "./service-dashboard.ts";
import { buildStageDashboard, SERVICE_VARIABLE_ID } from "./stage-dashboard.ts";
import { FLEET_SERVICES, fleetSlos, serviceSlos } from "./test-fixtures.ts";
import type { MetricWidget } from "./widgets.ts";

const region = "eu-west-1";
const opts = { region, stage: "production", prefix: "slo-production" } as const;

function searches(body: { widgets: readonly { type: string }[] }): string[] {
  return body.widgets
    .filter((w): w is MetricWidget => w.type === "metric")
    .flatMap((w) => w.properties.metrics)
    .map((m) => (m[0] as { expression?: string }).expression ?? "");
}

describe("buildStageDashboard", () => {
  const slos = fleetSlos();
  const services = [...new Set(slos.map((s) => s.service))].sort();
  const def = buildStageDashboard(slos, { ...opts, metrics: "minimal" });
  const first = services[0] as string;

  it("is one validly named dashboard whatever the number of services", () => {
    expect(services.length).toBe(FLEET_SERVICES.length);
    expect(isValidDashboardName(def.name)).toBe(true);
    expect(def.name).toBe("slo-production-slos");
  });

  it("offers every service with SLOs in a select variable, the first one by default", () => {
    const [v] = def.body.variables ?? [];
    expect(v?.id).toBe(SERVICE_VARIABLE_ID);
    expect(v?.type).toBe("pattern");
    expect(v?.values.map((x) => x.label)).toEqual(services);
    expect(v?.defaultValue).toBe(v?.pattern);
    expect(v?.pattern).toBe(`Service="${first}"`);
  });

  it("minimal: searches the picked service's own AlertState, no metric per objective", () => {
    const exprs = searches(def.body);
    expect(exprs).toEqual([
      `SEARCH('{Custom/SLO,Service,Stage} MetricName="AlertState" Stage="production" Service="${first}"', 'Maximum', 300)`,
    ]);
  });

  it("minimal: the Logs Insights query of the per-SLO numbers follows the picked service", () => {
    const v = def.body.variables?.[0];
    for (const value of v?.values ?? []) {
      // What CloudWatch does when a service is picked: replace the pattern everywhere.
      const picked = JSON.parse(
        JSON.stringify(def.body.widgets)
          .split(JSON.stringify(v?.pattern).slice(1, -1))
          .join(JSON.stringify(value.value).slice(1, -1)),
      ) as typeof def.body.widgets;
      const text = picked.map((w) => (w.type === "text" ? w.properties.markdown : "")).join("\n");
      expect(text).toContain(
        `filter message = "slo values" and stage = "production" and sloService="${value.label}"`,
      );
      expect(searches({ widgets: picked })[0]).toContain(`Service="${value.label}"`);
    }
  });

  it("lets the variable rewrite only the service filter: nothing else in the body matches it", () => {
    const v = def.body.variables?.[0];
    const text = JSON.stringify(def.body.widgets);
    const hits = text.split(JSON.stringify(v?.pattern).slice(1, -1)).length - 1;
    // the search, the header and the Logs Insights query
    expect(hits).toBe(3);
  });

  it("graphs burn rates per SLO and window when the stage publishes them (full)", () => {
    const full = buildStageDashboard(slos, { ...opts, metrics: "full" });
    const exprs = searches(full.body);
    expect(exprs.map((e) => /MetricName="(\w+)"/.exec(e)?.[1])).toEqual([
      "SLI",
      "ErrorBudgetRemaining",
      "BurnRate",
    ]);
    expect(exprs[2]).toContain("{Custom/SLO,SLO,Service,Stage,Window}");
  });

  it("refuses an empty SLO set with a clear error", () => {
    expect(() => buildStageDashboard([], { ...opts, metrics: "minimal" })).toThrow(
      DashboardInputError,
    );
  });
});

describe("buildStageDashboards", () => {
  it("deploys two dashboards for any number of services (three are free)", () => {
    const defs = buildStageDashboards(fleetSlos(), { ...opts, metrics: "minimal" });
    expect(defs.map((d) => d.name)).toEqual(["slo-production-slos", "slo-production-fleet"]);
  });
});

describe("buildStageDashboards beyond one per-SLO fleet view", () => {
  // 1,000 SLOs: the per-SLO fleet view would put 2,000 series in one graph.
  const huge = Array.from({ length: 250 }, (_, i) => serviceSlos(`svc-${i}`)).flat();
  const defs = buildStageDashboards(huge, { ...opts, metrics: "minimal" });

  it("still deploys two dashboards, the fleet one as Metrics Insights queries (full)", () => {
    const full = buildStageDashboards(huge, { ...opts, metrics: "full" });
    expect(full.map((d) => d.name)).toEqual(["slo-production-slos", "slo-production-fleet"]);
    const queries = searches(full[1]?.body ?? { widgets: [] });
    expect(queries).toHaveLength(4);
    for (const q of queries) {
      expect(q).toMatch(
        /^SELECT (MIN\(ErrorBudgetRemaining\)|MAX\(AlertState\)) FROM SCHEMA\("Custom\/SLO", SLO, Service, Stage\) WHERE Stage = 'production'/,
      );
    }
    expect(queries.filter((q) => q.includes("GROUP BY Service"))).toHaveLength(2);
    expect(JSON.stringify(full[1]?.body).length).toBeLessThan(10_000);
  });

  it("minimal: queries each service's AlertState (no SLO dimension) and points to the report", () => {
    expect(defs.map((d) => d.name)).toEqual(["slo-production-slos", "slo-production-fleet"]);
    const fleet = defs[1];
    expect(searches(fleet?.body ?? { widgets: [] })).toEqual([
      `SELECT MAX(AlertState) FROM SCHEMA("Custom/SLO", Service, Stage) WHERE Stage = 'production'`,
      `SELECT MAX(AlertState) FROM SCHEMA("Custom/SLO", Service, Stage) WHERE Stage = 'production' GROUP BY Service ORDER BY MAX() DESC LIMIT 20`,
    ]);
    const text = JSON.stringify(fleet?.body.widgets.filter((w) => w.type === "text"));
    expect(text).toContain("reports/stage.json");
    expect(JSON.stringify(fleet?.body).length).toBeLessThan(10_000);
  });

  it("keeps the exact per-SLO fleet view while it fits", () => {
    const small = buildStageDashboards(fleetSlos(), { ...opts, metrics: "minimal" })[1];
    expect(searches(small?.body ?? { widgets: [] }).some((e) => e.startsWith("SELECT"))).toBe(
      false,
    );
  });

  it("quotes the stage in the query", () => {
    const q = searches(
      buildLargeFleetDashboard(fleetSlos(), { region, stage: "o'neil", metrics: "minimal" }).body,
    );
    expect(q[0]).toContain("WHERE Stage = 'o''neil'");
  });
});
