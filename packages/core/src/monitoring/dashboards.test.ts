import { describe, expect, it } from "vitest";
import type { SloDefinition } from "../spec/model.ts";
import { buildFleetDashboard } from "./fleet-dashboard.ts";
import { isValidDashboardName } from "./names.ts";
import { buildServiceDashboard, DashboardInputError } from "./service-dashboard.ts";
import { FLEET_SERVICES, fleetSlos, serviceSlos } from "./test-fixtures.ts";
import {
  DashboardLimitError,
  type DashboardWidget,
  GRID_WIDTH,
  MAX_BODY_BYTES,
  type MetricWidget,
} from "./widgets.ts";

const region = "eu-west-1";

function metricWidgets(widgets: readonly DashboardWidget[]): MetricWidget[] {
  return widgets.filter((w): w is MetricWidget => w.type === "metric");
}

function assertGrid(widgets: readonly DashboardWidget[]): void {
  for (const w of widgets) {
    expect(w.x).toBeGreaterThanOrEqual(0);
    expect(w.x + w.width).toBeLessThanOrEqual(GRID_WIDTH);
  }
  // no two widgets overlap
  for (let i = 0; i < widgets.length; i++) {
    for (let j = i + 1; j < widgets.length; j++) {
      const a = widgets[i] as DashboardWidget;
      const b = widgets[j] as DashboardWidget;
      const overlap =
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      expect(overlap, `widgets ${i} and ${j} overlap`).toBe(false);
    }
  }
}

describe("buildServiceDashboard", () => {
  const slos = fleetSlos();
  const own = slos.filter((s) => s.service === "payment-service");
  const def = buildServiceDashboard("payment-service", slos, {
    region,
    stage: "production",
    metrics: "full",
    prefix: "slo-production",
  });
  const metrics = metricWidgets(def.body.widgets);

  it("has 2 + 4 widgets per SLO of the service, laid out on the grid without overlap", () => {
    expect(def.body.widgets).toHaveLength(2 + 4 * own.length);
    assertGrid(def.body.widgets);
  });

  it("names the dashboard validly", () => {
    expect(def.name).toBe("slo-production-payment-service");
    expect(isValidDashboardName(def.name)).toBe(true);
  });

  it("draws the objective on the SLI graph and the tier thresholds on the burn-rate graph", () => {
    for (const slo of own) {
      const sli = metrics.find((w) => w.properties.title === `SLI vs objective: ${slo.name}`);
      expect(sli?.properties.annotations?.horizontal.map((a) => a.value)).toEqual(
        slo.objectives.map((o) => o.target),
      );
      expect(sli?.properties.metrics[0]).toEqual([
        "Custom/SLO",
        "SLI",
        "Stage",
        "production",
        "Service",
        "payment-service",
        "SLO",
        slo.name,
        { label: "SLI", id: "sli" },
      ]);
      const burn = metrics.find((w) => w.properties.title === `Burn rate by window: ${slo.name}`);
      expect(burn?.properties.annotations?.horizontal.map((a) => a.value)).toEqual(
        slo.alertTiers.map((t) => t.burnRateThreshold),
      );
      // one line per distinct window: 5m 30m 1h 2h 6h 1d 3d (Window after Stage, Service, SLO)
      const windows = burn?.properties.metrics.map((m) => (m as string[])[9]);
      expect(windows).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
      const budget = metrics.find(
        (w) => w.properties.title === `Error budget remaining: ${slo.name}`,
      );
      expect(budget?.properties.metrics[0]?.[1]).toBe("ErrorBudgetRemaining");
    }
  });

  it("zooms the SLI axis so the objective is visible", () => {
    const sli = metrics.find((w) =>
      w.properties.title.startsWith("SLI vs objective: payment-service-availability"),
    );
    expect(sli?.properties.yAxis?.left).toEqual({ min: 0.99, max: 1 });
  });

  it("adds alarm-status widgets, 100 alarms each", () => {
    const arns = Array.from(
      { length: 150 },
      (_, i) => `arn:aws:cloudwatch:${region}:1:alarm:a${i}`,
    );
    const withAlarms = buildServiceDashboard("payment-service", slos, {
      region,
      stage: "production",
      metrics: "full",
      alarmArns: arns,
    });
    const alarmWidgets = withAlarms.body.widgets.filter((w) => w.type === "alarm");
    expect(alarmWidgets.map((w) => (w.type === "alarm" ? w.properties.alarms.length : 0))).toEqual([
      100, 50,
    ]);
    assertGrid(withAlarms.body.widgets);
  });

  it("refuses a service without SLOs, listing the services it knows", () => {
    expect(() =>
      buildServiceDashboard("nope-service", slos, { region, stage: "production", metrics: "full" }),
    ).toThrow(DashboardInputError);
    expect(() =>
      buildServiceDashboard("nope-service", slos, { region, stage: "production", metrics: "full" }),
    ).toThrow(/audit-service/);
  });
});

describe("buildFleetDashboard", () => {
  const slos = fleetSlos();
  const def = buildFleetDashboard(slos, {
    region,
    stage: "production",
    metrics: "full",
    prefix: "slo-production",
  });
  const json = JSON.stringify(def.body);

  it("is a valid, well-under-1-MB body with a valid name", () => {
    expect(new TextEncoder().encode(json).length).toBeLessThan(MAX_BODY_BYTES);
    expect(def.name).toBe("slo-production-fleet");
    expect(isValidDashboardName(def.name)).toBe(true);
    assertGrid(def.body.widgets);
    expect(JSON.parse(json)).toEqual(def.body);
  });

  it("shows budget per service, SLOs failing, alerts firing and canaries", () => {
    const titles = metricWidgets(def.body.widgets).map((w) => w.properties.title);
    expect(titles).toEqual([
      "SLOs out of error budget",
      "SLO alerts firing",
      "Canaries failing",
      "Error budget remaining: worst SLO per service (1 = untouched, <= 0 = exhausted)",
      "SLO alerts firing per service",
      "Canary success % per service",
    ]);
    expect(def.body.widgets).toHaveLength(1 + 6);
  });

  it("takes the worst budget per service with one MIN expression per service", () => {
    const bar = metricWidgets(def.body.widgets).find((w) => w.properties.view === "bar");
    const exprs = (bar?.properties.metrics ?? [])
      .map((m) => m[0])
      .filter(
        (m): m is { expression: string; label: string } =>
          typeof m === "object" && "expression" in m,
      );
    expect(exprs.map((e) => e.label)).toEqual([...FLEET_SERVICES].sort());
    for (const e of exprs) expect(e.expression).toMatch(/^MIN\(\[e\d+, e\d+, e\d+, e\d+\]\)$/);
  });

  it("counts SLOs out of budget exactly: one IF per SLO, summed", () => {
    const w = metricWidgets(def.body.widgets).find(
      (x) => x.properties.title === "SLOs out of error budget",
    );
    const entries = w?.properties.metrics ?? [];
    expect(entries).toHaveLength(40 * 2 + 1);
    const sum = entries.at(-1)?.[0] as { expression: string };
    expect(sum.expression.match(/bf\d+/g)).toHaveLength(40);
    expect(
      entries.filter(
        (m) =>
          typeof m[0] === "object" &&
          /IF\(b\d+ <= 0, 1, 0\)/.test((m[0] as { expression: string }).expression),
      ),
    ).toHaveLength(40);
  });

  it("summarises every service in the header table", () => {
    const text = def.body.widgets[0];
    expect(text?.type).toBe("text");
    const markdown = text?.type === "text" ? text.properties.markdown : "";
    for (const s of FLEET_SERVICES) expect(markdown).toContain(`| ${s} | 4 | 30d |`);
  });

  it("fails with a clear error when the fleet outgrows one dashboard", () => {
    const huge: SloDefinition[] = Array.from({ length: 70 }, (_, i) =>
      serviceSlos(`svc-${i}`),
    ).flat();
    expect(() =>
      buildFleetDashboard(huge, { region, stage: "production", metrics: "full" }),
    ).toThrow(DashboardLimitError);
    expect(() =>
      buildFleetDashboard(huge, { region, stage: "production", metrics: "full" }),
    ).toThrow(/split the SLO set/);
  });

  it("refuses an empty SLO set", () => {
    expect(() => buildFleetDashboard([], { region, stage: "production", metrics: "full" })).toThrow(
      DashboardInputError,
    );
  });
});

describe("buildServiceDashboard, minimal metrics profile", () => {
  it("graphs AlertState instead of the burn rates the stage does not publish", () => {
    const slos = fleetSlos();
    const def = buildServiceDashboard("payment-service", slos, {
      region,
      stage: "dev",
      metrics: "minimal",
    });
    const names = metricWidgets(def.body.widgets).flatMap((w) =>
      w.properties.metrics.map((m) => (m as string[])[1]),
    );
    expect(names).not.toContain("BurnRate");
    expect(names.filter((n) => n === "AlertState").length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(
      new Set(["SuccessPercent", "ErrorBudgetRemaining", "AlertState"]),
    );
  });
});
