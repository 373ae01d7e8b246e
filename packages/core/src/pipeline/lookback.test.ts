import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TimeWindow } from "../spec/model.ts";
import { requiredLookbackMs, sloHistoryMs } from "./lookback.ts";

const DAY_MS = 86_400_000;
const calendar = (unit: "Day" | "Week" | "Month" | "Quarter" | "Year", count = 1): TimeWindow => ({
  type: "calendar",
  unit,
  count,
  startTimeMs: Date.UTC(2026, 0, 1),
  timeZone: "UTC",
});

describe("sloHistoryMs", () => {
  it("is the window for a rolling SLO", () => {
    expect(sloHistoryMs({ timeWindow: { type: "rolling", durationMs: 30 * DAY_MS } })).toBe(
      30 * DAY_MS,
    );
  });

  it("covers the current and the previous calendar period at their longest", () => {
    expect(sloHistoryMs({ timeWindow: calendar("Month") })).toBe(62 * DAY_MS);
    expect(sloHistoryMs({ timeWindow: calendar("Week", 2) })).toBe(28 * DAY_MS);
    expect(sloHistoryMs({ timeWindow: calendar("Year") })).toBe(732 * DAY_MS);
  });

  it("requiredLookbackMs is the longest SLO's history (property)", () => {
    const windows = fc.oneof(
      fc
        .integer({ min: 60_000, max: 400 * DAY_MS })
        .map((durationMs): TimeWindow => ({ type: "rolling", durationMs })),
      fc
        .tuple(fc.constantFrom("Day", "Week", "Month", "Quarter", "Year" as const), fc.nat(3))
        .map(([unit, n]) => calendar(unit, n + 1)),
    );
    fc.assert(
      fc.property(fc.array(windows, { maxLength: 8 }), (ws) => {
        const slos = ws.map((timeWindow) => ({ timeWindow }));
        expect(requiredLookbackMs(slos)).toBe(
          Math.max(0, ...ws.map((w) => sloHistoryMs({ timeWindow: w }))),
        );
      }),
    );
  });
});
