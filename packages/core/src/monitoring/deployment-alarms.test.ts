import { describe, expect, it } from "vitest";
import { buildFleetAlarms } from "./alarms.ts";
import { buildDeploymentAlarms, MAX_DEPLOYMENT_ALARMS } from "./deployment-alarms.ts";
import { fleetSlos } from "./test-fixtures.ts";

const topics = { page: "arn:page", ticket: "arn:ticket" };
const base = { prefix: "slo-prod", stage: "prod", topics, canaryPeriodSeconds: 300 } as const;

describe("buildDeploymentAlarms", () => {
  it("adds one silent page-only AlertState alarm per service when the evaluator pages", () => {
    const slos = fleetSlos();
    const { byService, alarms } = buildDeploymentAlarms(slos, {
      ...base,
      metrics: "minimal",
      burnRateActions: false,
    });
    const services = [...new Set(slos.map((s) => s.service))];
    expect(Object.keys(byService).sort()).toEqual(services.sort());
    const fleetNames = new Set(
      buildFleetAlarms(slos, { ...base, metrics: "minimal", burnRateActions: false }).map(
        (a) => a.name,
      ),
    );
    for (const service of services) {
      const names = byService[service] as string[];
      expect(names[0]).toBe(`slo-prod-${service}-canary-failing`);
      expect(fleetNames.has(names[0] as string)).toBe(true);
      expect(names.slice(1).every((n) => n.startsWith(`slo-prod-${service}-deploy-page`))).toBe(
        true,
      );
    }
    for (const a of alarms) {
      expect(a).toMatchObject({
        kind: "deployment",
        severity: "page",
        threshold: 2,
        actionsEnabled: false,
        treatMissingData: "notBreaching",
      });
      expect(a.alarmActions).toEqual([]);
      expect(a.metricQueries.filter((q) => q.metric).length).toBeLessThanOrEqual(10);
      expect(a.metricQueries.find((q) => q.returnData)?.expression).toMatch(/^MAX\(\[/);
      // never the ticket state: a slow burn must not roll back every deploy
      expect(a.comparisonOperator).toBe("GreaterThanOrEqualToThreshold");
    }
    // every objective's AlertState is read exactly once
    const read = alarms.flatMap((a) =>
      a.metricQueries.flatMap((q) => (q.metric ? [q.metric.dimensions.SLO] : [])),
    );
    expect(new Set(read).size).toBe(read.length);
  });

  it("reuses the per-SLO page alarms when the alarms page, and creates nothing", () => {
    const slos = fleetSlos();
    const opts = { ...base, metrics: "minimal" as const, burnRateActions: true };
    const { byService, alarms } = buildDeploymentAlarms(slos, opts);
    expect(alarms).toEqual([]);
    const fleet = buildFleetAlarms(slos, opts);
    for (const [service, names] of Object.entries(byService)) {
      expect(names.length).toBeLessThanOrEqual(MAX_DEPLOYMENT_ALARMS);
      for (const n of names) {
        const a = fleet.find((x) => x.name === n);
        expect(a?.service).toBe(service);
        expect(a?.severity).toBe("page");
        expect(n).not.toMatch(/alert-ticket/);
      }
    }
  });
});
