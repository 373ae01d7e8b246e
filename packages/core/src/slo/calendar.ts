import type { TimeWindow } from "../spec/model.ts";
import { SloWindowError } from "./errors.ts";

const DAY_MS = 86_400_000;

type CalendarWindow = Extract<TimeWindow, { type: "calendar" }>;
type CalendarUnit = CalendarWindow["unit"];

/** Wall-clock fields in a time zone; `month` is 1-based. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch (cause) {
      throw new SloWindowError(
        `time zone "${timeZone}" is not a known IANA zone: write a zone such as Europe/Paris, America/New_York or UTC`,
        { cause },
      );
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Wall-clock time of an instant in an IANA zone.
 *
 * @example
 * localTime(Date.UTC(2026, 2, 29, 1), "Europe/Paris"); // { year: 2026, month: 3, day: 29, hour: 3, ... }
 */
export function localTime(ms: number, timeZone: string): LocalTime {
  const millisecond = ((ms % 1000) + 1000) % 1000;
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(ms - millisecond)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return { ...fields, millisecond };
}

/** Zone offset at an instant: local wall clock (read as UTC) minus the instant. */
function offsetMs(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond) - ms;
}

/**
 * The instant of a wall-clock time in a zone. Fields may overflow (month 13, day 32) and
 * are normalised like `Date.UTC`. A wall time skipped by a DST jump resolves to the
 * instant after the jump; a repeated one to one of its two instants.
 *
 * @example
 * fromLocalTime({ year: 2026, month: 4, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, "Europe/Paris"); // Date.UTC(2026, 2, 31, 22)
 */
export function fromLocalTime(t: LocalTime, timeZone: string): number {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond);
  const o1 = offsetMs(wall, timeZone);
  const u1 = wall - o1;
  const o2 = offsetMs(u1, timeZone);
  if (o2 === o1) return u1;
  const u2 = wall - o2;
  return offsetMs(u2, timeZone) === o2 ? u2 : Math.max(u1, u2);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `t` moved by whole months, the day clamped to the target month's length (Jan 31 + 1 month = Feb 28). */
function addMonths(t: LocalTime, months: number): LocalTime {
  const index = t.year * 12 + (t.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { ...t, year, month, day: Math.min(t.day, daysInMonth(year, month)) };
}

function unitStride(unit: CalendarUnit): { months: number; days: number } {
  switch (unit) {
    case "Day":
      return { months: 0, days: 1 };
    case "Week":
      return { months: 0, days: 7 };
    case "Month":
      return { months: 1, days: 0 };
    case "Quarter":
      return { months: 3, days: 0 };
    case "Year":
      return { months: 12, days: 0 };
  }
}

/** Nominal period lengths used for alert-tier scaling (month = 30 d, as the spec does). */
const NOMINAL_DAYS: Record<CalendarUnit, number> = {
  Day: 1,
  Week: 7,
  Month: 30,
  Quarter: 90,
  Year: 365,
};

/**
 * Start of calendar period `k` counted from the window's anchor (period 0 starts at the
 * anchor). Boundaries are wall-clock boundaries in the window's zone, so a month in
 * Europe/Paris starts at local midnight whatever the DST offset.
 *
 * @example
 * calendarBoundary({ type: "calendar", unit: "Month", count: 1, startTimeMs: Date.UTC(2025, 11, 31, 23), timeZone: "Europe/Paris" }, 3); // Date.UTC(2026, 2, 31, 22)
 */
export function calendarBoundary(window: CalendarWindow, k: number): number {
  const anchor = localTime(window.startTimeMs, window.timeZone);
  const { months, days } = unitStride(window.unit);
  const shifted =
    months > 0
      ? addMonths(anchor, k * window.count * months)
      : { ...anchor, day: anchor.day + k * window.count * days };
  return fromLocalTime(shifted, window.timeZone);
}

/**
 * Index of the calendar period containing `ms` (0 = the period starting at the anchor,
 * negative before it).
 *
 * @example
 * calendarIndex(parisMonthlyWindow, Date.UTC(2026, 2, 29, 12)); // 2 when anchored on 2026-01-01
 */
export function calendarIndex(window: CalendarWindow, ms: number): number {
  const anchor = localTime(window.startTimeMs, window.timeZone);
  const now = localTime(ms, window.timeZone);
  const { months, days } = unitStride(window.unit);
  let k: number;
  if (months > 0) {
    const elapsed = (now.year - anchor.year) * 12 + (now.month - anchor.month);
    k = Math.floor(elapsed / (months * window.count));
  } else {
    const elapsed = Math.floor(
      (Date.UTC(now.year, now.month - 1, now.day) -
        Date.UTC(anchor.year, anchor.month - 1, anchor.day)) /
        DAY_MS,
    );
    k = Math.floor(elapsed / (days * window.count));
  }
  // The estimate ignores time of day and day of month; settle it against real boundaries.
  while (calendarBoundary(window, k) > ms) k--;
  while (calendarBoundary(window, k + 1) <= ms) k++;
  return k;
}

/** The SLO window at one evaluation time. */
export interface ResolvedWindow {
  /** Window `[startMs, endMs)`; `endMs` is the evaluation time. */
  readonly startMs: number;
  readonly endMs: number;
  /** Length of the budget period: the rolling duration, or the nominal calendar length. */
  readonly periodMs: number;
  /** Calendar windows: index of the current period and the zone; `null` for rolling windows. */
  readonly calendar: { readonly index: number; readonly periodEndMs: number } | null;
}

/**
 * Resolves a time window at `nowMs`: rolling windows are `[now - duration, now)`, calendar
 * windows run from the start of the period containing `now` (in the window's zone) to `now`.
 *
 * @example
 * resolveWindow({ type: "rolling", durationMs: 30 * 86_400_000 }, now); // { startMs: now - 30d, endMs: now, periodMs: 30d, calendar: null }
 */
export function resolveWindow(window: TimeWindow, nowMs: number): ResolvedWindow {
  if (window.type === "rolling") {
    if (!(window.durationMs > 0)) {
      throw new SloWindowError(
        `rolling window duration ${window.durationMs} ms is not positive: write a duration such as 30d`,
      );
    }
    return {
      startMs: nowMs - window.durationMs,
      endMs: nowMs,
      periodMs: window.durationMs,
      calendar: null,
    };
  }
  if (!(Number.isInteger(window.count) && window.count > 0)) {
    throw new SloWindowError(
      `calendar window count ${window.count} is not a positive whole number: write a duration such as 1M or 1w`,
    );
  }
  const index = calendarIndex(window, nowMs);
  return {
    startMs: calendarBoundary(window, index),
    endMs: nowMs,
    periodMs: NOMINAL_DAYS[window.unit] * window.count * DAY_MS,
    calendar: { index, periodEndMs: calendarBoundary(window, index + 1) },
  };
}

/**
 * Boundaries of whole days from `startMs` up to `endMs`: 24 h steps, or, with a zone,
 * the same wall-clock time on each following day, so DST days are 23 h or 25 h long.
 * The last day ends at `endMs` even when cut short.
 *
 * @example
 * dayBoundaries(0, 2.5 * 86_400_000, null); // [0, 86_400_000, 172_800_000, 216_000_000]
 */
export function dayBoundaries(startMs: number, endMs: number, timeZone: string | null): number[] {
  const out = [startMs];
  const start = timeZone === null ? null : localTime(startMs, timeZone);
  for (let d = 1; ; d++) {
    const b =
      start === null || timeZone === null
        ? startMs + d * DAY_MS
        : fromLocalTime({ ...start, day: start.day + d }, timeZone);
    if (b >= endMs) break;
    out.push(b);
  }
  if (endMs > startMs) out.push(endMs);
  return out;
}
