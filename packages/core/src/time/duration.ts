import { SloPlatformError } from "../errors.ts";

/** Thrown when a duration string such as `30d` or `5m` cannot be read. */
export class DurationFormatError extends SloPlatformError {
  constructor(input: string) {
    super(
      `"${input}" is not a duration: write a number followed by s, m, h, d or w (for example 5m, 1h, 30d)`,
      "input",
    );
    this.name = "DurationFormatError";
  }
}

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses an OpenSLO-style duration (`30s`, `5m`, `1h`, `28d`, `2w`) into milliseconds.
 *
 * @example
 * parseDuration("1h"); // 3_600_000
 */
export function parseDuration(input: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(input);
  if (!m) throw new DurationFormatError(input);
  const value = Number(m[1]);
  const unit = UNIT_MS[m[2] as string] as number;
  if (!(value > 0)) throw new DurationFormatError(input);
  return value * unit;
}

/** Formats milliseconds as the shortest exact duration string (`90m` stays `90m`, `3600000` is `1h`). */
export function formatDuration(ms: number): string {
  for (const unit of ["w", "d", "h", "m", "s"] as const) {
    const u = UNIT_MS[unit] as number;
    if (ms >= u && ms % u === 0) return `${ms / u}${unit}`;
  }
  return `${ms / 1000}s`;
}
