import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TimeWindow } from "../spec/model.ts";
import {
  calendarBoundary,
  dayBoundaries,
  fromLocalTime,
  localTime,
  resolveWindow,
} from "./calendar.ts";
import { SloWindowError } from "./errors.ts";
import { DAY, HOUR } from "./test-fixtures.ts";

const PARIS_MONTH: Extract<TimeWindow, { type: "calendar" }> = {
  type: "calendar",
  unit: "Month",
  count: 1,
  startTimeMs: Date.UTC(2025, 11, 31, 23), // 2026-01-01 00:00 CET
  timeZone: "Europe/Paris",
};

describe("calendar windows", () => {
  it("resolves a Europe/Paris month across the spring DST change", () => {
    // 2026-03-29 is the switch to CEST (01:00 UTC). March starts at 00:00 CET = 23:00 UTC the day before.
    const w = resolveWindow(PARIS_MONTH, Date.UTC(2026, 2, 29, 12));
    expect(w.startMs).toBe(Date.UTC(2026, 1, 28, 23));
    expect(w.endMs).toBe(Date.UTC(2026, 2, 29, 12));
    expect(w.calendar?.periodEndMs).toBe(Date.UTC(2026, 2, 31, 22)); // April 1st 00:00 CEST
    expect((w.calendar?.periodEndMs as number) - w.startMs).toBe(31 * DAY - HOUR);
    expect(w.periodMs).toBe(30 * DAY);
  });

  it("resolves the autumn change and the exact boundary instant", () => {
    const nov1 = Date.UTC(2026, 9, 31, 23); // 2026-11-01 00:00 CET
    expect(resolveWindow(PARIS_MONTH, nov1 - 1).startMs).toBe(Date.UTC(2026, 8, 30, 22));
    expect(resolveWindow(PARIS_MONTH, nov1).startMs).toBe(nov1);
    expect(calendarBoundary(PARIS_MONTH, 10) - calendarBoundary(PARIS_MONTH, 9)).toBe(
      31 * DAY + HOUR,
    );
  });

  it("counts periods of several units from the anchor, also before it", () => {
    const quarter = { ...PARIS_MONTH, unit: "Quarter" as const };
    expect(resolveWindow(quarter, Date.UTC(2026, 4, 15)).startMs).toBe(Date.UTC(2026, 2, 31, 22));
    const twoMonths = { ...PARIS_MONTH, count: 2 };
    expect(resolveWindow(twoMonths, Date.UTC(2025, 10, 20)).startMs).toBe(
      Date.UTC(2025, 9, 31, 23),
    );
  });

  it("clamps month ends: an anchor on the 31st gives Feb 28 then Mar 31", () => {
    const w = { ...PARIS_MONTH, timeZone: "UTC", startTimeMs: Date.UTC(2026, 0, 31) };
    expect(calendarBoundary(w, 1)).toBe(Date.UTC(2026, 1, 28));
    expect(calendarBoundary(w, 2)).toBe(Date.UTC(2026, 2, 31));
  });

  it("aligns weeks to the anchor's weekday and local midnight", () => {
    const week = {
      type: "calendar" as const,
      unit: "Week" as const,
      count: 1,
      startTimeMs: Date.UTC(2026, 0, 4, 23), // Monday 2026-01-05 00:00 CET
      timeZone: "Europe/Paris",
    };
    const w = resolveWindow(week, Date.UTC(2026, 2, 29, 18)); // Sunday after the DST change
    expect(w.startMs).toBe(Date.UTC(2026, 2, 22, 23)); // Monday 23rd 00:00 CET
    expect(w.calendar?.periodEndMs).toBe(Date.UTC(2026, 2, 29, 22)); // Monday 30th 00:00 CEST
  });

  it("contains now in [start, periodEnd) with start on a local month boundary, for any instant", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.constantFrom(
          "Europe/Paris",
          "America/New_York",
          "Australia/Sydney",
          "Asia/Kolkata",
          "UTC",
        ),
        (now, timeZone) => {
          const anchor = fromLocalTime(
            { year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 },
            timeZone,
          );
          const w = resolveWindow({ ...PARIS_MONTH, timeZone, startTimeMs: anchor }, now);
          expect(w.startMs).toBeLessThanOrEqual(now);
          expect(w.calendar?.periodEndMs as number).toBeGreaterThan(now);
          const local = localTime(w.startMs, timeZone);
          expect([local.day, local.hour, local.minute]).toEqual([1, 0, 0]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects an unknown time zone with the fix in the message", () => {
    expect(() => resolveWindow({ ...PARIS_MONTH, timeZone: "Mars/Olympus" }, 0)).toThrow(
      SloWindowError,
    );
    expect(() => resolveWindow({ ...PARIS_MONTH, timeZone: "Mars/Olympus" }, 0)).toThrow(/IANA/);
    expect(() => resolveWindow({ ...PARIS_MONTH, count: 0 }, 0)).toThrow(/positive whole number/);
    expect(() => resolveWindow({ type: "rolling", durationMs: 0 }, 0)).toThrow(SloWindowError);
  });
});

describe("zone conversions", () => {
  it("round-trips wall-clock times outside DST gaps", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
        for (const tz of ["Europe/Paris", "America/Los_Angeles", "UTC"]) {
          expect(localTime(fromLocalTime(localTime(ms, tz), tz), tz)).toEqual(localTime(ms, tz));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("resolves a wall time skipped by DST to the instant after the jump", () => {
    const t = { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0, millisecond: 0 };
    expect(fromLocalTime(t, "Europe/Paris")).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it("cuts days at local midnight, with a 23-hour day on the DST change", () => {
    const start = Date.UTC(2026, 2, 27, 23); // 2026-03-28 00:00 CET
    const bounds = dayBoundaries(start, Date.UTC(2026, 2, 30, 12), "Europe/Paris");
    expect(bounds).toEqual([start, start + DAY, start + 2 * DAY - HOUR, Date.UTC(2026, 2, 30, 12)]);
    expect(dayBoundaries(0, 2.5 * DAY, null)).toEqual([0, DAY, 2 * DAY, 2.5 * DAY]);
    expect(dayBoundaries(0, 0, null)).toEqual([0]);
  });
});
