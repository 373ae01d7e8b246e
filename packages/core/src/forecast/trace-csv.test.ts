import { describe, expect, it } from "vitest";
import { LoadTraceError, parseLoadTrace } from "./trace-csv.ts";

describe("parseLoadTrace", () => {
  it("reads the NAB format, infers the step and keeps gaps as NaN", () => {
    const t = parseLoadTrace(
      "timestamp,value\n2014-04-10 00:00:00,94\n2014-04-10 00:05:00,56\n2014-04-10 00:15:00,70\n",
      "a.csv",
    );
    expect(t.stepMs).toBe(300_000);
    expect(t.startMs).toBe(Date.UTC(2014, 3, 10));
    expect(Array.from(t.values)).toEqual([94, 56, Number.NaN, 70]);
    expect(t.missing).toBe(1);
  });

  it("accepts ISO and epoch-second timestamps", () => {
    const iso = parseLoadTrace(
      "time,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,2\n",
      "iso.csv",
    );
    expect(iso.stepMs).toBe(60_000);
    const epoch = parseLoadTrace(
      "timestamp,value\n1700000000,1\n1700001800,2\n1700003600,3\n",
      "e.csv",
    );
    expect(epoch.stepMs).toBe(1_800_000);
    expect(epoch.startMs).toBe(1_700_000_000_000);
  });

  it.each([
    ["2014-04-10 00:00:00,1\n", /a\.csv:1: expected the header "timestamp,value"/],
    [
      "timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,lots\n",
      /a\.csv:3: value "lots" is not a number/,
    ],
    [
      "timestamp,value\n2014-04-10 00:05:00,1\n2014-04-10 00:00:00,2\n",
      /a\.csv:3: .*earlier than the row before \(line 2\): sort/,
    ],
    [
      "timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:00:00,2\n",
      /a\.csv:3: duplicate time 2014-04-10 00:00:00 \(also on line 2\)/,
    ],
    [
      "timestamp,value\nyesterday,1\n2014-04-10 00:00:00,2\n",
      /a\.csv:2: "yesterday" is not a time/,
    ],
    ["timestamp,value\n2014-04-10 00:00:00,1\n", /needs at least two data rows/],
  ])("rejects a bad file with file:line (%#)", (text, message) => {
    expect(() => parseLoadTrace(text, "a.csv")).toThrowError(LoadTraceError);
    expect(() => parseLoadTrace(text, "a.csv")).toThrowError(message);
  });

  it("keeps the first of repeated times when asked, and counts the rest", () => {
    const t = parseLoadTrace(
      "timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:00:00,9\n2014-04-10 00:05:00,2\n",
      "d.csv",
      { duplicates: "first" },
    );
    expect(Array.from(t.values)).toEqual([1, 2]);
    expect(t.droppedDuplicates).toBe(1);
  });
});
