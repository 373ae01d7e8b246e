import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CapacityError } from "./errors.ts";
import { planCapacity } from "./plan.ts";

const forecast = (mean: number[]) => ({
  startMs: 0,
  stepMs: 300_000,
  mean: Float64Array.from(mean),
});

describe("planCapacity", () => {
  it("converts requests per step to per minute and sizes tasks with headroom", () => {
    // 5000 requests per 5 minutes = 1000 rpm; +10 % = 1100 rpm at 100 rpm per task = 11 tasks.
    const plan = planCapacity({
      forecast: forecast([5000, 5000]),
      requestsPerTaskPerMinute: 100,
      scaleInDampingMs: 0,
      schedulingBufferMs: 0,
    });
    expect(plan.predictedLoad[0]).toEqual({ timestampMs: 0, requestsPerMinute: 1000 });
    expect(plan.desiredTasks.map((d) => d.tasks)).toEqual([11, 11]);
  });

  it("holds a peak for the damping time, provisions ahead by the buffer and clamps to bounds", () => {
    const plan = planCapacity({
      forecast: forecast([500, 500, 5000, 500, 500, 500, 500]),
      requestsPerTaskPerMinute: 100,
      headroom: 0,
      schedulingBufferMs: 300_000,
      scaleInDampingMs: 600_000,
      minTasks: 2,
      maxTasks: 8,
    });
    expect(plan.desiredTasks.map((d) => d.tasks)).toEqual([2, 8, 8, 8, 8, 2, 2]);
    expect(plan.peakTasks).toBe(8);
  });

  it("never plans below the forecast load (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        (mean, cap) => {
          const plan = planCapacity({
            forecast: forecast(mean),
            requestsPerTaskPerMinute: cap,
            minTasks: 0,
          });
          plan.desiredTasks.forEach((d, i) => {
            expect(d.tasks * cap).toBeGreaterThanOrEqual(
              (plan.predictedLoad[i]?.requestsPerMinute ?? 0) - 1e-6,
            );
          });
        },
      ),
    );
  });

  it("rejects impossible inputs by field", () => {
    expect(() =>
      planCapacity({ forecast: forecast([1]), requestsPerTaskPerMinute: 0 }),
    ).toThrowError(/requestsPerTaskPerMinute/);
    expect(() =>
      planCapacity({
        forecast: forecast([1]),
        requestsPerTaskPerMinute: 1,
        minTasks: 5,
        maxTasks: 2,
      }),
    ).toThrowError(CapacityError);
  });
});
