import { SloPlatformError } from "../errors.ts";

/** Thrown for a time that is not a real, zoned instant; callers add the file:line or flag. */
export class TimeFormatError extends SloPlatformError {
  /** What is wrong, without the text itself (e.g. "month 13 does not exist"). */
  readonly reason: string;
  constructor(text: string, reason: string, options?: ErrorOptions) {
    super(`"${text.slice(0, 40)}": ${reason}`, "input", options);
    this.name = "TimeFormatError";
    this.reason = reason;
  }
}

/** How {@link parseInstant} reads a time written without a zone. */
export interface ParseInstantOptions {
  /**
   * `"refuse"` (default): a zone-less time is an error, since its instant depends on
   * where the command runs. `"utc"`: read it as UTC (formats that say so, like NAB traces).
   */
  readonly zoneless?: "refuse" | "utc";
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * Epoch ms of an ISO-8601 date-time (`2026-10-31T12:00:00Z`, `2026-10-31 12:00+01:00`),
 * strictly: every field must exist on the calendar (no month 13, 30 February, hour 25),
 * and the zone is required unless `zoneless: "utc"`. `Date.parse` is not used because it
 * shifts impossible dates into the next month and reads zone-less times in local time.
 *
 * @throws TimeFormatError saying which field is impossible.
 * @example
 * parseInstant("2026-10-31T12:00:00Z"); // 1793448000000
 * parseInstant("2026-02-30T00:00:00Z"); // throws: day 30 does not exist in 2026-02
 */
export function parseInstant(text: string, options: ParseInstantOptions = {}): number {
  const m = ISO.exec(text.trim());
  if (!m) {
    throw new TimeFormatError(text, "not an ISO-8601 time: write e.g. 2026-10-31T12:00:00Z");
  }
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss ?? "0");
  if (month < 1 || month > 12) throw new TimeFormatError(text, `month ${mos} does not exist`);
  if (day < 1 || day > daysIn(year, month)) {
    throw new TimeFormatError(text, `day ${ds} does not exist in ${ys}-${mos}`);
  }
  if (hour > 23) throw new TimeFormatError(text, `hour ${hs} does not exist (00-23)`);
  if (minute > 59) throw new TimeFormatError(text, `minute ${mis} does not exist (00-59)`);
  if (second > 59) throw new TimeFormatError(text, `second ${ss} does not exist (00-59)`);
  let offsetMin = 0;
  if (zone === undefined) {
    if (options.zoneless !== "utc") {
      throw new TimeFormatError(text, `no time zone: add Z or an offset (e.g. ${text.trim()}Z)`);
    }
  } else if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4) || "0");
    if (oh > 23 || om > 59) throw new TimeFormatError(text, `zone offset ${zone} does not exist`);
    offsetMin = (zone.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Math.round(Number(`0.${frac ?? "0"}`) * 1000);
  const utc = new Date(0);
  // setUTCFullYear keeps years 0-99 literal, which Date.UTC would map to 1900-1999.
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  return utc.getTime() - offsetMin * 60_000;
}
