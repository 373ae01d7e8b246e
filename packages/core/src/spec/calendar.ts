/**
 * Calendar anchors: OpenSLO writes `calendar.startTime` as a wall-clock time
 * ("2026-01-01 00:00:00") in `calendar.timeZone`; the engine keeps epoch ms.
 */
import { parseInstant } from "../time/instant.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `Intl` knows the IANA zone (`Europe/Paris`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone. */
function wallClock(ms: number, timeZone: string): number[] {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [get("year"), get("month"), get("day"), get("hour"), get("minute"), get("second")];
}

function offsetMs(ms: number, timeZone: string): number {
  const [y, mo, d, h, mi, s] = wallClock(ms, timeZone) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(ms / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a calendar start time: wall-clock ("2026-01-01 00:00:00", "2026-01-01") in the
 * zone, or an ISO instant with `Z`/offset. Returns undefined when unreadable.
 *
 * @example
 * parseStartTime("2026-01-01 00:00:00", "Europe/Paris"); // Date.UTC(2025, 11, 31, 23)
 */
export function parseStartTime(text: string, timeZone: string): number | undefined {
  if (ZONED.test(text)) {
    // Strict: Date.parse would move 30 February to 2 March.
    try {
      return parseInstant(text);
    } catch {
      return undefined;
    }
  }
  const m = LOCAL.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  // A day the month does not have (30 February) is refused, not rolled into the next month.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(guess).getUTCDate() !== d) return undefined;
  // Two passes settle the offset except inside a DST gap, where the later offset wins.
  let ms = guess - offsetMs(guess, timeZone);
  ms = guess - offsetMs(ms, timeZone);
  return ms;
}

/**
 * Writes a start time the way OpenSLO examples do (wall clock in the zone) when that
 * reads back to the same instant, else as an ISO instant (DST overlaps, sub-seconds).
 *
 * @example
 * formatStartTime(Date.UTC(2026, 0, 1), "UTC"); // "2026-01-01 00:00:00"
 */
export function formatStartTime(ms: number, timeZone: string): string {
  if (ms % 1000 === 0) {
    const [y, mo, d, h, mi, s] = wallClock(ms, timeZone).map((v) => String(v).padStart(2, "0"));
    const local = `${y}-${mo}-${d} ${h}:${mi}:${s}`;
    if (parseStartTime(local, timeZone) === ms) return local;
  }
  return new Date(ms).toISOString();
}
