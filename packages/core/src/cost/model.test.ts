import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CostModelError } from "./errors.ts";
import { customMetricsCost, type MonthlyUsage, priceFleetInfra, priceUsage } from "./model.ts";
import { PRICES } from "./prices.ts";

const ZERO: MonthlyUsage = {
  customMetrics: 0,
  alarmMetrics: 0,
  dashboards: 0,
  getMetricDataMetrics: 0,
  putMetricDataRequests: 0,
  logIngestedBytes: 0,
  logStoredBytes: 0,
  s3Puts: 0,
  s3Gets: 0,
  s3StoredBytes: 0,
  lambdaRequests: 0,
  lambdaGbSeconds: 0,
  sfnExpressRequests: 0,
  sfnExpressGbSeconds: 0,
  sqsRequests: 0,
  snsPublishes: 0,
};

describe("customMetricsCost", () => {
  it("prices each tier only for the metrics inside it", () => {
    expect(customMetricsCost(440)).toBeCloseTo(132, 9);
    expect(customMetricsCost(10_000)).toBeCloseTo(3000, 9);
    expect(customMetricsCost(10_001)).toBeCloseTo(3000.1, 9);
    expect(customMetricsCost(250_000)).toBeCloseTo(3000 + 24_000, 6);
    expect(customMetricsCost(1_000_001)).toBeCloseTo(3000 + 24_000 + 37_500 + 0.02, 6);
  });

  it("never decreases and never charges more per metric than the first tier", () => {
    fc.assert(
      fc.property(fc.nat(3_000_000), fc.nat(100_000), (n, d) => {
        const a = customMetricsCost(n);
        const b = customMetricsCost(n + d);
        expect(b).toBeGreaterThanOrEqual(a - 1e-9);
        expect(b - a).toBeLessThanOrEqual(d * 0.3 + 1e-6);
        expect(b - a).toBeGreaterThanOrEqual(d * 0.02 - 1e-6);
      }),
    );
  });
});

describe("priceUsage", () => {
  it("prices the issue's 40-SLO figures as the issue does", () => {
    const { lines } = priceUsage({
      ...ZERO,
      customMetrics: 440,
      alarmMetrics: 400,
      dashboards: 11,
    });
    expect(lines.customMetrics).toBeCloseTo(132, 6);
    expect(lines.alarmMetrics).toBeCloseTo(40, 6);
    expect(lines.dashboards).toBeCloseTo(24, 6);
  });

  it("is additive: the total is the sum of the lines, and scaling linear lines scales them", () => {
    const count = fc.integer({ min: 0, max: 1e9 });
    fc.assert(
      fc.property(count, count, count, count, (gmd, puts, gets, gbs) => {
        const u = {
          ...ZERO,
          getMetricDataMetrics: gmd,
          s3Puts: puts,
          s3Gets: gets,
          lambdaGbSeconds: gbs,
        };
        const one = priceUsage(u);
        const sum = Object.values(one.lines).reduce((a, b) => a + b, 0);
        expect(one.totalUsd).toBeCloseTo(sum, 6);
        const two = priceUsage({
          ...u,
          getMetricDataMetrics: 2 * gmd,
          s3Puts: 2 * puts,
          s3Gets: 2 * gets,
          lambdaGbSeconds: 2 * gbs,
        });
        expect(two.totalUsd).toBeCloseTo(2 * one.totalUsd, 4);
      }),
    );
  });

  it("refuses a negative or non-finite figure, naming the field", () => {
    expect(() => priceUsage({ ...ZERO, s3Gets: -1 })).toThrow(CostModelError);
    expect(() => priceUsage({ ...ZERO, lambdaGbSeconds: Number.NaN })).toThrow(/lambdaGbSeconds/);
  });

  it("dates its prices", () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("priceFleetInfra", () => {
  it("prices canaries at $0.0012 a run and keeps them apart", () => {
    const r = priceFleetInfra({
      natGateways: 0,
      natGb: 0,
      loadBalancers: 0,
      lcus: 0,
      tasks: 0,
      taskVcpu: 0,
      taskGb: 0,
      canaries: 10,
      canaryRunsEach: 8640,
    });
    expect(r.canaries).toBeCloseTo(103.68, 6);
    expect(r.totalUsd).toBeCloseTo(103.68, 6);
  });
});
