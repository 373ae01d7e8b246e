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

/** `namespace|name` and the dimension list of every metric entry (not expressions) of a dashboard. */
function entryMetrics(widgets: readonly DashboardWidget[]): { name: string; dims: string[] }[] {
  return metricWidgets(widgets).flatMap((w) =>
    w.properties.metrics.flatMap((m) => {
      const parts = (m as readonly unknown[]).filter((x): x is string => typeof x === "string");
      if (parts.length < 2) return [];
      return [{ name: `${parts[0]}|${parts[1]}`, dims: parts.slice(2) }];
    }),
  );
}

function markdownOf(widgets: readonly DashboardWidget[]): string {
  return widgets.map((w) => (w.type === "text" ? w.properties.markdown : "")).join("\n");
}

describe("buildServiceDashboard, minimal metrics profile", () => {
  it("graphs the service's AlertState and says where each SLO's numbers are", () => {
    const slos = fleetSlos();
    const def = buildServiceDashboard("payment-service", slos, {
      region,
      stage: "dev",
      metrics: "minimal",
    });
    expect(def.body.widgets).toHaveLength(4);
    assertGrid(def.body.widgets);
    const entries = entryMetrics(def.body.widgets);
    expect(entries.map((e) => e.name).sort()).toEqual([
      "CloudWatchSynthetics|SuccessPercent",
      "Custom/SLO|AlertState",
    ]);
    expect(entries.find((e) => e.name === "Custom/SLO|AlertState")?.dims).toEqual([
      "Stage",
      "dev",
      "Service",
      "payment-service",
    ]);
    const text = markdownOf(def.body.widgets);
    expect(text).toContain("reports/stage.json");
    expect(text).toContain('filter message = "slo values" and stage = "dev"');
  });
});

describe("buildFleetDashboard, minimal metrics profile", () => {
  const slos = fleetSlos();
  const def = buildFleetDashboard(slos, { region, stage: "dev", metrics: "minimal" });
  const services = [...FLEET_SERVICES].sort();

  it("reads each service's AlertState and the canaries, nothing per objective", () => {
    const entries = entryMetrics(def.body.widgets);
    const slo = entries.filter((e) => e.name.startsWith("Custom/SLO|"));
    expect(new Set(slo.map((e) => e.name))).toEqual(new Set(["Custom/SLO|AlertState"]));
    for (const e of slo)
      expect([e.dims[0], e.dims[1], e.dims[2]]).toEqual(["Stage", "dev", "Service"]);
    expect(slo.every((e) => e.dims.length === 4)).toBe(true);
    // one line per service in the graph, one hidden series per service in each count
    const graph = metricWidgets(def.body.widgets).find((w) =>
      w.properties.title.startsWith("Alert state per service"),
    );
    expect(graph?.properties.metrics.map((m) => (m.at(-1) as { label: string }).label)).toEqual(
      services,
    );
    assertGrid(def.body.widgets);
  });

  it("counts services paging and alerting exactly: one IF per service, summed", () => {
    const count = (title: string) =>
      metricWidgets(def.body.widgets).find((w) => w.properties.title.startsWith(title))?.properties
        .metrics ?? [];
    const paging = count("Services with a page tier firing");
    expect(paging).toHaveLength(10 * 2 + 1);
    const sum = (paging.at(-1)?.[0] ?? { expression: "" }) as { expression: string };
    expect(sum.expression.match(/pf\d+/g)).toHaveLength(10);
    expect(
      paging.filter((m) =>
        /^IF\(p\d+ >= 2, 1, 0\)$/.test((m[0] as { expression?: string }).expression ?? ""),
      ),
    ).toHaveLength(10);
    const alerting = count("Services with an SLO alert firing");
    expect(
      alerting.filter((m) =>
        /^IF\(a\d+ > 0, 1, 0\)$/.test((m[0] as { expression?: string }).expression ?? ""),
      ),
    ).toHaveLength(10);
  });

  it("points to the per-SLO numbers instead of a budget graph", () => {
    const titles = metricWidgets(def.body.widgets).map((w) => w.properties.title);
    expect(titles.some((t) => /budget/i.test(t))).toBe(false);
    expect(markdownOf(def.body.widgets)).toContain("slo gate --aws --stage dev");
  });
});
