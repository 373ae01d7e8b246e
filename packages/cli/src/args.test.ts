import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  flagChoice,
  flagDuration,
  flagMaxSteps,
  flagNumber,
  flagTime,
  parseCommand,
} from "./args.ts";
import { UsageError } from "./io.ts";
import { recordIo } from "./testing/record-io.ts";

const FRACTION = { min: 0, max: 1, expect: "a fraction from 0 to 1" };

describe("flagNumber", () => {
  it("reads every finite number as written", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(flagNumber(String(x), "--n", 0, { expect: "a number" })).toBe(x === 0 ? 0 : x);
      }),
    );
  });

  it.each([
    "",
    " ",
    "0x10",
    "0b1",
    "0o7",
    "1e",
    "Infinity",
    "-Infinity",
    "NaN",
    "1,5",
    " 0.1",
    "0.1 ",
    "1_000",
  ])("refuses %j naming the flag", (raw) => {
    expect(() => flagNumber(raw, "--min-budget", 0, FRACTION)).toThrow(UsageError);
    expect(() => flagNumber(raw, "--min-budget", 0, FRACTION)).toThrow(
      `--min-budget must be a fraction from 0 to 1, got ${JSON.stringify(raw)}`,
    );
  });

  it("applies bounds and integrality; absent means the fallback", () => {
    expect(flagNumber(undefined, "--n", 7, FRACTION)).toBe(7);
    expect(() => flagNumber("1.5", "--n", 0, FRACTION)).toThrow(/got "1.5"/);
    expect(() =>
      flagNumber("0", "--n", 1, { min: 0, exclusiveMin: true, expect: "> 0" }),
    ).toThrow();
    expect(() => flagNumber("2.5", "--n", 1, { integer: true, expect: "an integer" })).toThrow();
    expect(flagMaxSteps("1000")).toBe(1000);
    expect(() => flagMaxSteps("0")).toThrow(/--max-steps/);
  });
});

describe("flagTime, flagDuration, flagChoice", () => {
  it("reads zoned ISO-8601 only, on the calendar", () => {
    expect(flagTime("2026-10-31T12:00:00Z", "--at")).toBe(Date.parse("2026-10-31T12:00:00Z"));
    expect(flagTime(undefined, "--at")).toBeUndefined();
    expect(() => flagTime("2026", "--at")).toThrow(
      /--at must be an ISO-8601 time with a zone.*"2026"$/,
    );
    expect(() => flagTime("1793448000", "--at")).toThrow(UsageError);
    expect(() => flagTime("2026-10-31T12:00:00", "--at")).toThrow(/\(no time zone\)/);
    expect(() => flagTime("2026-02-30T12:00:00Z", "--at")).toThrow(/\(day 30 does not exist/);
  });

  it("reads durations and choices, naming the flag when wrong", () => {
    expect(flagDuration("2h", "--horizon", 1)).toBe(7_200_000);
    expect(() => flagDuration("0x10m", "--horizon", 1)).toThrow(
      /--horizon "0x10m" is not a duration/,
    );
    expect(flagChoice(undefined, "--no-data", ["allow", "block"], "allow")).toBe("allow");
    expect(() => flagChoice("maybe", "--no-data", ["allow", "block"], "allow")).toThrow(
      '--no-data must be allow or block, got "maybe"',
    );
  });
});

describe("parseCommand", () => {
  const spec = { help: "Usage: slo x\n", options: { json: { type: "boolean" } } } as const;
  it("prints help and returns undefined for --help", () => {
    const r = recordIo("/");
    expect(parseCommand(["-h"], r.io, spec)).toBeUndefined();
    expect(r.out()).toBe("Usage: slo x\n");
  });
  it("turns parse failures and stray positionals into one-line usage errors", () => {
    const r = recordIo("/");
    expect(() => parseCommand(["--jsno"], r.io, spec)).toThrow(UsageError);
    expect(() => parseCommand(["extra"], r.io, spec)).toThrow(/unexpected argument "extra"/);
    expect(parseCommand(["--json"], r.io, spec)?.values.json).toBe(true);
  });
});
