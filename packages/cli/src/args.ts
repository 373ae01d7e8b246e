/**
 * The one place the CLI turns argv into typed values. Built on `node:util` `parseArgs`
 * (maintained with Node, no dependency, already what every command used): a command
 * file declares its options and help and gets typed values; every number, duration,
 * time and choice flag is read here, strictly, so `--min-budget ""`, `--min-budget 0x10`
 * or `--at 2026` is a usage error naming the flag in every command alike.
 */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { DEFAULT_MAX_STEPS } from "@slo/core/limits";
import { parseDuration, parseInstant, TimeFormatError } from "@slo/core/time";
import type { CliIo } from "./io.ts";
import { UsageError } from "./io.ts";

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true; args: string[] }>
>;

/** What a command body receives: typed flag values and the positional arguments. */
export interface CommandArgs<O extends ParseArgsOptionsConfig> {
  readonly values: Parsed<O>["values"];
  readonly positionals: string[];
}

/**
 * Parses a command's argv against its options: `--help`/`-h` prints the help and
 * returns `undefined` (the command returns 0); unknown flags, missing values and
 * unexpected positionals are usage errors. So a command file is its options, its help
 * and its wiring.
 *
 * @example
 * const args = parseCommand(argv, io, { help: HELP, options: { json: { type: "boolean" } } });
 * if (!args) return 0;
 * if (args.values.json) io.stdout("{}\n");
 */
export function parseCommand<O extends ParseArgsOptionsConfig>(
  argv: string[],
  io: CliIo,
  spec: { readonly help: string; readonly options: O; readonly positionals?: boolean },
): CommandArgs<O> | undefined {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (parsed.values.help) {
    io.stdout(spec.help);
    return undefined;
  }
  if (!spec.positionals && parsed.positionals.length > 0) {
    throw new UsageError(
      `unexpected argument "${parsed.positionals[0]}": this command takes only options (see --help)`,
    );
  }
  return {
    values: parsed.values as unknown as Parsed<O>["values"],
    positionals: parsed.positionals,
  };
}

/** A plain decimal: no hex, no empty string, no `Infinity`, no surrounding spaces. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Bounds and shape of a numeric flag. */
export interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  /** `min` itself is refused (e.g. a positive number). */
  readonly exclusiveMin?: boolean;
  readonly integer?: boolean;
  /** Shown in errors, e.g. "a fraction from 0 to 1 (e.g. 0.1)". */
  readonly expect: string;
}

/**
 * Reads a numeric flag strictly; `fallback` when the flag is absent (but an empty value
 * is an error: an unset pipeline variable must not become 0).
 *
 * @example
 * flagNumber(values["min-budget"], "--min-budget", 0, { min: 0, max: 1, expect: "a fraction from 0 to 1" });
 */
export function flagNumber(
  value: string | undefined,
  flag: string,
  fallback: number,
  rule: NumberRule,
): number {
  if (value === undefined) return fallback;
  const n = DECIMAL.test(value) ? Number(value) : Number.NaN;
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || (rule.exclusiveMin ? n > rule.min : n >= rule.min)) &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) throw new UsageError(`${flag} must be ${rule.expect}, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * Reads a duration flag (`5m`, `1h`, `30d`).
 *
 * @example
 * flagDuration(values.horizon, "--horizon", 3_600_000); // "2h" -> 7_200_000
 */
export function flagDuration(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  try {
    return parseDuration(value);
  } catch (error) {
    throw new UsageError(
      `${flag} "${value}" is not a duration: write a number followed by s, m, h, d or w (e.g. 5m, 1h, 30d)`,
      { cause: error },
    );
  }
}

/**
 * Reads a time flag: ISO-8601 with a zone, a real calendar date. A bare number (`2026`)
 * or a zone-less time is refused: metrics files demand a zone, and so does the flag.
 *
 * @example
 * flagTime(values.at, "--at"); // "2026-10-31T12:00:00Z" -> 1793448000000
 */
export function flagTime(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseInstant(value);
  } catch (error) {
    const reason = error instanceof TimeFormatError ? error.reason : "";
    throw new UsageError(
      `${flag} must be an ISO-8601 time with a zone, such as 2026-10-31T12:00:00Z, got ${JSON.stringify(value)}${reason.startsWith("not an ISO") ? "" : ` (${reason.split(":")[0]})`}`,
      { cause: error },
    );
  }
}

/**
 * Reads a flag that takes one of a few words.
 *
 * @example
 * flagChoice(values["block-on"], "--block-on", ["page", "ticket", "none"], "page");
 */
export function flagChoice<const C extends string>(
  value: string | undefined,
  flag: string,
  choices: readonly C[],
  fallback: C,
): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(
      `${flag} must be ${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}, got ${JSON.stringify(value)}`,
    );
  }
  return value as C;
}

/** `--max-steps` and `--resample`, for commands that read series into memory. */
export const DATA_OPTIONS = {
  "max-steps": { type: "string" },
  resample: { type: "boolean" },
} as const;

/** Help lines of {@link DATA_OPTIONS}. */
export const DATA_HELP = `  --max-steps N    refuse inputs needing more than N steps in memory (default ${DEFAULT_MAX_STEPS.toLocaleString("en-US")})
  --resample       read irregularly spaced data on the finest common grid instead of refusing it
`;

/** The step cap from `--max-steps`. */
export function flagMaxSteps(value: string | undefined): number {
  return flagNumber(value, "--max-steps", DEFAULT_MAX_STEPS, {
    min: 1,
    integer: true,
    expect: "a whole number of steps of at least 1",
  });
}
