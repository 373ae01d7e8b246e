import { describe, expect, it } from "vitest";
import { loadFleetSlos } from "../../testing/fleet-slos.ts";
import { serviceAlertStateMetric } from "../monitoring/metrics.ts";
import { type GrafanaDashboard, grafanaDashboards } from "./grafana.ts";
import { prometheusRules } from "./prometheus-rules.ts";

/**
 * The fields Grafana's dashboard schema requires to import a dashboard (uid <= 40 of
 * [A-Za-z0-9_-], title, schemaVersion, panels with unique ids, a type, a 24-column
 * gridPos, targets with unique refIds and a datasource); returns every violation.
 */
function schemaProblems(d: GrafanaDashboard): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(d.uid)) problems.push(`uid ${d.uid}`);
  if (typeof d.title !== "string" || d.title === "") problems.push("title");
  if (!Number.isInteger(d.schemaVersion) || d.schemaVersion < 36) problems.push("schemaVersion");
  if (!Array.isArray(d.panels) || d.panels.length === 0) problems.push("panels");
  const ids = new Set<number>();
  const cells = new Set<string>();
  for (const p of d.panels) {
    if (!Number.isInteger(p.id) || ids.has(p.id)) problems.push(`panel id ${p.id}`);
    ids.add(p.id);
    if (!["timeseries", "stat", "state-timeline", "text"].includes(p.type))
      problems.push(`panel type ${p.type}`);
    const { h, w, x, y } = p.gridPos;
    if (![h, w, x, y].every(Number.isInteger) || w < 1 || h < 1 || x < 0 || x + w > 24) {
      problems.push(`panel ${p.id} gridPos`);
    }
    for (let cx = x; cx < x + w; cx++) {
      for (let cy = y; cy < y + h; cy++) {
        if (cells.has(`${cx},${cy}`)) problems.push(`panel ${p.id} overlaps`);
        cells.add(`${cx},${cy}`);
      }
    }
    const refs = new Set<string>();
    for (const t of p.targets) {
      if (!t.refId || refs.has(t.refId)) problems.push(`panel ${p.id} refId ${t.refId}`);
      refs.add(t.refId);
      if (!t.datasource?.type || !t.datasource.uid) problems.push(`panel ${p.id} datasource`);
    }
    if (p.type === "text") {
      if (typeof p.options.content !== "string") problems.push(`panel ${p.id} has no content`);
    } else if (p.targets.length === 0) problems.push(`panel ${p.id} has no targets`);
  }
  return [...new Set(problems)];
}

describe("grafanaDashboards", () => {
  it("gives each service one importable dashboard per backend", async () => {
    const slos = await loadFleetSlos();
    for (const backend of ["prometheus", "cloudwatch"] as const) {
      const dashboards = grafanaDashboards(slos, { backend, datasourceUid: "ds", metrics: "full" });
      expect(dashboards).toHaveLength(10);
      for (const d of dashboards) {
        expect(schemaProblems(d), d.uid).toEqual([]);
        // Four SLOs x SLI, budget, burn rate, alert state; payment-service also has the
        // mesh SLO (slos/mesh.yaml).
        expect(d.panels).toHaveLength(d.uid.startsWith("slo-payment-service-") ? 20 : 16);
        // Round-trips as JSON (what the import API takes).
        expect(JSON.parse(JSON.stringify(d))).toEqual(d);
      }
      expect(new Set(dashboards.map((d) => d.uid)).size).toBe(10);
    }
  });

  it("reads only series the exported rules record (prometheus) or the jobs publish (cloudwatch)", async () => {
    const slos = await loadFleetSlos();
    const recorded = new Set(
      prometheusRules(slos).groups.flatMap((g) =>
        g.rules.flatMap((r) => (r.record ? [r.record] : [])),
      ),
    );
    const [prom] = grafanaDashboards(slos, { backend: "prometheus", datasourceUid: "amp" });
    for (const p of prom?.panels ?? []) {
      for (const t of p.targets) {
        const expr = "expr" in t ? t.expr : "";
        for (const name of expr.match(/slo:[a-z_]+:[a-z_0-9]+/g) ?? [])
          expect(recorded).toContain(name);
      }
    }
    const [cw] = grafanaDashboards(slos, {
      backend: "cloudwatch",
      datasourceUid: "cw",
      stage: "prod",
      metrics: "full",
    });
    const burn = cw?.panels.find((p) => p.title.endsWith("burn rate per window"));
    const windows = (burn?.targets ?? []).map((t) => ("dimensions" in t ? t.dimensions : {}));
    expect(windows).toHaveLength(7);
    expect(new Set(windows.map((d) => d.Window)).size).toBe(7);
    expect(windows.every((d) => d.Stage === "prod" && d.Window !== undefined)).toBe(true);
    expect(burn?.targets[0]).toMatchObject({ namespace: "Custom/SLO", metricName: "BurnRate" });
  });
});

describe("grafanaDashboards, cloudwatch, minimal metrics profile (the default)", () => {
  it("reads each service's AlertState only, and says where each SLO's numbers are", async () => {
    const slos = await loadFleetSlos();
    const dashboards = grafanaDashboards(slos, {
      backend: "cloudwatch",
      datasourceUid: "cw",
      stage: "prod",
    });
    expect(dashboards).toHaveLength(10);
    for (const d of dashboards) {
      expect(schemaProblems(d), d.uid).toEqual([]);
      const service = d.tags[1] as string;
      const targets = d.panels.flatMap((p) => p.targets);
      expect(targets).toHaveLength(1);
      expect(targets[0]).toMatchObject({
        ...serviceAlertStateMetric(service, "prod"),
        statistic: "Maximum",
      });
      const text = d.panels.find((p) => p.type === "text")?.options.content as string;
      expect(text).toContain("reports/stage.json");
      expect(text).toContain(`and sloService="${service}"`);
      for (const slo of slos.filter((s) => s.service === service)) expect(text).toContain(slo.name);
    }
    // Prometheus is unaffected by the CloudWatch metrics profile.
    const prom = grafanaDashboards(slos, { backend: "prometheus", datasourceUid: "amp" });
    expect(prom.every((d) => d.panels.length >= 16)).toBe(true);
  });
});
