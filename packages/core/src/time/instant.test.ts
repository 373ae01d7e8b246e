import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInstant, TimeFormatError } from "./instant.ts";

describe("parseInstant", () => {
  it("reads zoned ISO-8601 times as Date.parse does for valid ones", () => {
    expect(parseInstant("2026-10-31T12:00:00Z")).toBe(Date.parse("2026-10-31T12:00:00Z"));
    expect(parseInstant("2026-10-31T13:00:00+01:00")).toBe(Date.parse("2026-10-31T12:00:00Z"));
    expect(parseInstant("2026-10-31 12:00-0130")).toBe(Date.parse("2026-10-31T13:30:00Z"));
    expect(parseInstant("2024-02-29T00:00:00.5Z")).toBe(Date.parse("2024-02-29T00:00:00.500Z"));
  });

  it.each([
    ["2026-13-01T00:00:00Z", /month 13/],
    ["2026-02-30T00:00:00Z", /day 30 does not exist in 2026-02/],
    ["2025-02-29T00:00:00Z", /day 29/],
    ["2026-04-31T00:00:00Z", /day 31/],
    ["2026-01-01T25:00:00Z", /hour 25/],
    ["2026-01-01T23:60:00Z", /minute 60/],
    ["2026-01-01T23:59:60Z", /second 60/],
    ["2026-01-01T00:00:00+25:00", /offset/],
    ["2026-01-01T00:00:00", /no time zone/],
    ["2026", /not an ISO-8601 time/],
    ["", /not an ISO-8601 time/],
  ])("refuses %s", (text, message) => {
    expect(() => parseInstant(text)).toThrow(TimeFormatError);
    expect(() => parseInstant(text)).toThrow(message);
  });

  it("reads a zone-less time as UTC only when asked", () => {
    expect(parseInstant("2014-04-10 00:05:00", { zoneless: "utc" })).toBe(
      Date.parse("2014-04-10T00:05:00Z"),
    );
  });

  it("round-trips every instant toISOString prints (years 0001-9999)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), (ms) => {
        expect(parseInstant(new Date(ms).toISOString())).toBe(ms);
      }),
    );
  });
});
