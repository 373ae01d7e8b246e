import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatStartTime, isValidTimeZone, parseStartTime } from "./calendar.ts";

const ZONES = [
  "UTC",
  "Europe/Paris",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "America/St_Johns",
];

describe("calendar start times", () => {
  it("reads wall-clock times in the zone, including across DST", () => {
    expect(parseStartTime("2026-01-01 00:00:00", "UTC")).toBe(Date.UTC(2026, 0, 1));
    expect(parseStartTime("2026-01-01", "Europe/Paris")).toBe(Date.UTC(2025, 11, 31, 23));
    expect(parseStartTime("2026-07-01 00:00:00", "Europe/Paris")).toBe(Date.UTC(2026, 5, 30, 22));
    expect(parseStartTime("2026-03-01 09:30", "Asia/Kolkata")).toBe(Date.UTC(2026, 2, 1, 4));
    expect(parseStartTime("2026-03-01T09:30:00+05:30", "UTC")).toBe(Date.UTC(2026, 2, 1, 4));
  });

  it("rejects impossible dates and other formats", () => {
    for (const bad of [
      "2026-02-30",
      "2026-13-01",
      "01/02/2026",
      "2026-01-01 25:00:00",
      "tomorrow",
    ]) {
      expect(parseStartTime(bad, "UTC"), bad).toBeUndefined();
    }
  });

  it("validates IANA zones with Intl", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });

  it("formats any whole-second instant so it reads back to the same instant", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
        fc.constantFrom(...ZONES),
        (s, zone) => {
          const ms = s * 1000;
          expect(parseStartTime(formatStartTime(ms, zone), zone)).toBe(ms);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("parseStartTime refuses days the calendar does not have", () => {
  it.each([
    "2026-02-30 00:00:00",
    "2025-02-29",
    "2026-04-31 12:00",
    "2026-02-30T00:00:00Z",
    "2026-01-01T25:00:00Z",
  ])("%s", (text) => {
    expect(parseStartTime(text, "Europe/Paris")).toBeUndefined();
  });

  it("still reads 29 February of a leap year", () => {
    expect(parseStartTime("2024-02-29T00:00:00Z", "UTC")).toBe(Date.UTC(2024, 1, 29));
  });
});
