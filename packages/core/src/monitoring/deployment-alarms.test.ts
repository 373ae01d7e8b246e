import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SloDefinition } from "../spec/model.ts";
import { buildFleetAlarms } from "./alarms.ts";
import { buildDeploymentAlarms, MAX_DEPLOYMENT_ALARMS } from "./deployment-alarms.ts";
import { serviceAlertStateMetric } from "./metrics.ts";
import { fleetSlos, serviceSlos } from "./test-fixtures.ts";

const topics = { page: "arn:page", ticket: "arn:ticket" };
const base = { prefix: "slo-prod", stage: "prod", topics, canaryPeriodSeconds: 300 } as const;

describe("buildDeploymentAlarms", () => {
  it("minimal: watches the canary and the per-service AlertState alarm, and creates nothing", () => {
    const slos = fleetSlos();
    const opts = { ...base, metrics: "minimal" as const, burnRateActions: false };
    const { byService, alarms } = buildDeploymentAlarms(slos, opts);
    expect(alarms).toEqual([]);
    const fleet = buildFleetAlarms(slos, opts);
    const services = [...new Set(slos.map((s) => s.service))].sort();
    expect(Object.keys(byService).sort()).toEqual(services);
    for (const service of services) {
      expect(byService[service]).toEqual([
        `slo-prod-${service}-canary-failing`,
        `slo-prod-${service}-alert-state`,
      ]);
      const guard = fleet.find((a) => a.name === `slo-prod-${service}-alert-state`);
      expect(guard).toMatchObject({ severity: "page", threshold: 2, actionsEnabled: false });
      expect(guard?.metricQueries[0]?.metric).toMatchObject(
        serviceAlertStateMetric(service, "prod"),
      );
    }
  });

  it("minimal: for any fleet, one guard alarm per service and no extra alarm", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 12 }),
        (services, perService) => {
          const slos: SloDefinition[] = services.flatMap((service) =>
            Array.from({ length: perService }, (_, i) => {
              const s = serviceSlos(service)[i % 4] as SloDefinition;
              return { ...s, name: `${s.name}-${i}` };
            }),
          );
          const { byService, alarms } = buildDeploymentAlarms(slos, {
            ...base,
            metrics: "minimal",
          });
          expect(alarms).toEqual([]);
          for (const service of services) expect(byService[service]).toHaveLength(2);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("full: reuses the per-SLO page alarms while they fit, whoever pages", () => {
    const slos = fleetSlos();
    for (const burnRateActions of [true, false]) {
      const opts = { ...base, metrics: "full" as const, burnRateActions };
      const { byService, alarms } = buildDeploymentAlarms(slos, opts);
      expect(alarms).toEqual([]);
      const fleet = buildFleetAlarms(slos, opts);
      for (const [service, names] of Object.entries(byService)) {
        // the canary and two page tiers for each of the four SLOs
        expect(names).toHaveLength(1 + 4 * 2);
        expect(names.length).toBeLessThanOrEqual(MAX_DEPLOYMENT_ALARMS);
        for (const n of names) {
          const a = fleet.find((x) => x.name === n);
          expect(a?.service).toBe(service);
          expect(a?.severity).toBe("page");
        }
      }
    }
  });

  it("full: adds silent page-only AlertState alarms for a service with too many page alarms", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      ...(serviceSlos("order-service")[0] as SloDefinition),
      name: `order-service-slo-${i}`,
    }));
    const { byService, alarms } = buildDeploymentAlarms(many, {
      ...base,
      metrics: "full",
      burnRateActions: false,
    });
    expect(byService["order-service"]).toEqual([
      "slo-prod-order-service-canary-failing",
      "slo-prod-order-service-deploy-page-1",
      "slo-prod-order-service-deploy-page-2",
    ]);
    for (const a of alarms) {
      expect(a).toMatchObject({
        kind: "deployment",
        severity: "page",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 2,
        actionsEnabled: false,
        treatMissingData: "notBreaching",
      });
      expect(a.alarmActions).toEqual([]);
      expect(a.metricQueries.filter((q) => q.metric).length).toBeLessThanOrEqual(10);
      expect(a.metricQueries.find((q) => q.returnData)?.expression).toMatch(/^MAX\(\[/);
    }
    // every objective's AlertState is read exactly once
    const read = alarms.flatMap((a) =>
      a.metricQueries.flatMap((q) => (q.metric ? [q.metric.dimensions.SLO] : [])),
    );
    expect(read.sort()).toEqual(many.map((s) => s.name).sort());
  });
});
