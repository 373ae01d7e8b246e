import { describe, expect, it } from "vitest";
import { estimateTaskCapacity } from "./task-capacity.ts";

describe("estimateTaskCapacity", () => {
  it("solves the CPU regression for the target", () => {
    // CPU = 10 + 0.05 * rpm per task, so 70 % is reached at 1200 rpm per task.
    const samples = Array.from({ length: 24 }, (_, i) => {
      const tasks = 2 + (i % 5);
      const perTask = 200 + i * 40;
      return { requestsPerMinute: perTask * tasks, tasks, cpuPercent: 10 + 0.05 * perTask };
    });
    const c = estimateTaskCapacity(samples, 70);
    expect(c.method).toBe("cpu-regression");
    expect(c.requestsPerTaskPerMinute).toBeCloseTo(1200, 6);
    expect(c.r2).toBeCloseTo(1, 9);
  });

  it("falls back to the busiest observed load per task without CPU", () => {
    const samples = Array.from({ length: 21 }, (_, i) => ({
      requestsPerMinute: 100 * i,
      tasks: 1,
    }));
    const c = estimateTaskCapacity(samples);
    expect(c.method).toBe("observed-peak");
    expect(c.requestsPerTaskPerMinute).toBe(1900);
  });

  it("explains unusable input", () => {
    expect(() => estimateTaskCapacity([{ requestsPerMinute: 1, tasks: 1 }])).toThrowError(
      /at least 10/,
    );
    const flat = Array.from({ length: 12 }, (_, i) => ({
      requestsPerMinute: 100 * (i + 1),
      tasks: 1,
      cpuPercent: 50 - i,
    }));
    expect(() => estimateTaskCapacity(flat)).toThrowError(/does not rise/);
    expect(() => estimateTaskCapacity(flat, 150)).toThrowError(/between 1 and 100/);
  });
});
