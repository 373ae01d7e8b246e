import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alarmName,
  canaryName,
  dashboardName,
  isValidAlarmName,
  isValidCanaryName,
  isValidDashboardName,
  MonitoringNameError,
} from "./names.ts";
import { FLEET_SERVICES } from "./test-fixtures.ts";

const builders = [
  [dashboardName, isValidDashboardName, 255],
  [alarmName, isValidAlarmName, 255],
  [canaryName, isValidCanaryName, 21],
] as const;

describe("monitoring names", () => {
  it("keeps the fleet's service names as canary names (all fit in 21 characters)", () => {
    for (const s of FLEET_SERVICES) expect(canaryName(s)).toBe(s);
  });

  it("keeps stages apart: every stage x service canary name is valid and distinct", () => {
    const names = ["dev", "staging", "production", "pr-1234"].flatMap((stage) =>
      FLEET_SERVICES.map((s) => canaryName(s, stage)),
    );
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(isValidCanaryName(n)).toBe(true);
    expect(canaryName("order-service", "dev")).toBe("dev-order-service");
  });

  it("sanitises unsupported characters", () => {
    expect(dashboardName("slo prod/order-service")).toBe("slo-prod-order-service");
    expect(alarmName("a b@c")).toBe("a-b-c");
    expect(canaryName("Order_Service.v2")).toBe("order_service-v2");
  });

  it("shortens long names with a stable hash suffix", () => {
    const long = "very-long-payments-reconciliation-service";
    const name = canaryName(long);
    expect(name).toHaveLength(21);
    expect(name).toBe(canaryName(long));
    expect(name).not.toBe(canaryName(`${long}-2`));
    expect(name.startsWith("very-long-pay")).toBe(true);
  });

  it("rejects names with no usable characters, saying what to write", () => {
    expect(() => canaryName("???")).toThrow(MonitoringNameError);
    expect(() => dashboardName("///")).toThrow(/letters, digits/);
  });

  it("property: any input yields a valid, deterministic name or a MonitoringNameError", () => {
    for (const [build, valid, max] of builders) {
      fc.assert(
        fc.property(fc.string({ maxLength: 400, unit: "binary" }), (raw) => {
          let name: string;
          try {
            name = build(raw);
          } catch (e) {
            expect(e).toBeInstanceOf(MonitoringNameError);
            return;
          }
          expect(valid(name)).toBe(true);
          expect(name.length).toBeLessThanOrEqual(max);
          expect(build(raw)).toBe(name);
        }),
      );
    }
  });

  it("property: distinct over-long inputs sharing a prefix get distinct names", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]{300}$/),
        fc.stringMatching(/^[a-z]{1,10}$/),
        fc.stringMatching(/^[a-z]{1,10}$/),
        (stem, a, b) => {
          fc.pre(a !== b);
          expect(dashboardName(stem + a)).not.toBe(dashboardName(stem + b));
          expect(canaryName(stem + a)).not.toBe(canaryName(stem + b));
        },
      ),
    );
  });
});
