import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FLEET, resolveStage, StageConfigError } from "../stacks/index.ts";
import { metricsProfile } from "../stacks/profile.ts";
import { InfraConfigError } from "./errors.ts";
import { stepSchedule } from "./jobs.ts";
import { capacityStrategy, serviceBounds } from "./scaling.ts";
import { componentName } from "./services.ts";

describe("resolveStage", () => {
  it("returns the named profiles without a notice", () => {
    expect(resolveStage("production").profile.network).toEqual({ azs: 3, nat: "managed" });
    expect(resolveStage("dev").notice).toBeUndefined();
  });
  it("falls back to dev with a notice for unknown stages", () => {
    const r = resolveStage("pr-42");
    expect(r.profile.name).toBe("dev");
    expect(r.stage).toBe("pr-42");
    expect(r.notice).toContain('stage "pr-42" has no profile');
    expect(resolveStage("toString").profile.name).toBe("dev");
  });
  it("reads alert subscribers from the environment", () => {
    const r = resolveStage("production", { SLO_PAGE_EMAILS: "a@x.io, b@x.io" });
    expect(r.profile.alerts.subscribers.page).toEqual(["a@x.io", "b@x.io"]);
  });
});

describe("fleet", () => {
  it("has ten uniquely named, uniquely ported services", () => {
    expect(FLEET).toHaveLength(10);
    expect(new Set(FLEET.map((s) => s.name)).size).toBe(10);
    expect(new Set(FLEET.map((s) => s.port)).size).toBe(10);
    expect(new Set(FLEET.map((s) => componentName(s.name))).size).toBe(10);
  });
});

describe("serviceBounds", () => {
  it("keeps min >= floor and max >= min for any inputs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: 5 }),
        (min, max, scale, floor) => {
          const b = serviceBounds({ min, max }, { scale, minTasksFloor: floor });
          return (
            b.min >= floor && b.max >= b.min && Number.isInteger(b.min) && Number.isInteger(b.max)
          );
        },
      ),
    );
  });
});

describe("capacityStrategy", () => {
  it("maps spot share to on-demand, spot, or a mix with an on-demand base", () => {
    expect(capacityStrategy(0)).toBeUndefined();
    expect(capacityStrategy(1)).toBe("spot");
    expect(capacityStrategy(0.5)).toEqual({
      fargate: { base: 1, weight: 50 },
      spot: { weight: 50 },
    });
  });
});

describe("stepSchedule", () => {
  it("fires every interval at a fixed minute offset inside the step", () => {
    expect(stepSchedule("5 minutes", 0)).toBe("cron(0/5 * * * ? *)");
    expect(stepSchedule("5 minutes", 2)).toBe("cron(2/5 * * * ? *)");
    expect(stepSchedule("1 minute", 0)).toBe("cron(0/1 * * * ? *)");
  });

  it("refuses intervals that do not divide the hour or offsets past the interval", () => {
    expect(() => stepSchedule("7 minutes", 0)).toThrow(/divides 60/);
    expect(() => stepSchedule("5 minutes", 5)).toThrow(InfraConfigError);
    expect(() => stepSchedule("1 hour", 0)).toThrow(InfraConfigError);
  });
});

describe("metricsProfile", () => {
  const { profile } = resolveStage("production");
  const alarmsPage = { ...profile, alerts: { ...profile.alerts, pager: "alarms" as const } };
  it("defaults to minimal, with the evaluator as pager in every stage", () => {
    for (const stage of ["dev", "staging", "production", "pr-42"]) {
      const p = resolveStage(stage).profile;
      expect(p.alerts.pager).toBe("evaluator");
      expect(metricsProfile(p)).toBe(p.metrics ?? "minimal");
    }
  });
  it("refuses minimal with the alarms as pager, naming the file and the fix", () => {
    for (const metrics of [undefined, "minimal" as const]) {
      const bad = () => metricsProfile({ ...alarmsPage, metrics });
      expect(bad).toThrow(StageConfigError);
      expect(bad).toThrow(/stacks\/production\.ts: alerts\.pager "alarms" needs metrics "full"/);
    }
    expect(metricsProfile({ ...alarmsPage, metrics: "full" })).toBe("full");
  });
});
