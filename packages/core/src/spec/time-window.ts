import { sloHistoryMs } from "../pipeline/lookback.ts";
import { formatDuration, parseDuration } from "../time/duration.ts";
import { isValidTimeZone, parseStartTime } from "./calendar.ts";
import type { TimeWindow } from "./model.ts";
import type { IssueSink, Path } from "./report.ts";
import { timeWindowSchema } from "./schema.ts";

/**
 * Steps of history one evaluation may allocate per series: 50 M steps (about 95 years
 * at the default 1-minute step) keep a series' arrays near 400 MB each.
 */
export const MAX_EVALUATION_STEPS = 50_000_000;
const DAY_MS = 86_400_000;
const CALENDAR_UNITS = { d: "Day", w: "Week", M: "Month", Q: "Quarter", Y: "Year" } as const;
const DURATION = /^(\d+)([smhdwMQY])$/;

/**
 * Reads `spec.timeWindow` (one rolling or calendar window) and checks that it can be
 * evaluated at `stepMs`: at least one step long, and at most {@link MAX_EVALUATION_STEPS}
 * steps of history.
 */
export function readTimeWindow(
  sink: IssueSink,
  raw: unknown,
  stepMs: number,
): TimeWindow | undefined {
  const base: Path = ["spec", "timeWindow"];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length !== 1) {
    sink.error(
      base,
      list.length === 0 ? "timeWindow is missing" : "only one timeWindow is supported",
      "write timeWindow: [{ duration: 30d, isRolling: true }]",
    );
    return undefined;
  }
  const path: Path = Array.isArray(raw) ? [...base, 0] : base;
  const tw = sink.check(timeWindowSchema, list[0], path);
  if (!tw) return undefined;
  const m = DURATION.exec(tw.duration);
  if (!m) {
    sink.error(
      [...path, "duration"],
      `"${tw.duration}" is not an OpenSLO duration`,
      "write a whole number and a unit: 30d or 4w (rolling), 1M, 1Q, 1w (calendar)",
    );
    return undefined;
  }
  const count = Number(m[1]);
  const unit = m[2] as string;
  if (tw.isRolling === true) {
    if (tw.calendar) {
      sink.error(
        [...path, "calendar"],
        "a rolling window has no calendar",
        "remove calendar, or write isRolling: false",
      );
      return undefined;
    }
    if (!/[smhdw]/.test(unit)) {
      sink.error(
        [...path, "duration"],
        `rolling windows need a fixed length; ${tw.duration} varies`,
        "write days or weeks, e.g. 30d, or use a calendar window for months",
      );
      return undefined;
    }
    const durationMs = count === 0 ? 0 : parseDuration(tw.duration);
    if (durationMs < stepMs) {
      sink.error(
        [...path, "duration"],
        `window ${tw.duration} is shorter than the ${formatDuration(stepMs)} step`,
        `write at least ${formatDuration(stepMs)}, typically 28d or 30d`,
      );
      return undefined;
    }
    return withinCap(sink, [...path, "duration"], tw.duration, stepMs, {
      type: "rolling",
      durationMs,
    });
  }
  if (!tw.calendar) {
    sink.error(
      path,
      tw.isRolling === false
        ? "a calendar window needs calendar: { startTime, timeZone }"
        : "timeWindow is neither rolling nor calendar",
      'write isRolling: true, or isRolling: false with calendar: { startTime: "2026-01-01 00:00:00", timeZone: UTC }',
    );
    return undefined;
  }
  const calUnit = CALENDAR_UNITS[unit as keyof typeof CALENDAR_UNITS];
  if (!calUnit || count === 0) {
    sink.error(
      [...path, "duration"],
      `calendar window ${tw.duration} is not whole days, weeks, months, quarters or years`,
      "write e.g. 1M, 1w, 1Q, 1Y or 7d",
    );
    return undefined;
  }
  const tz = tw.calendar.timeZone;
  if (!isValidTimeZone(tz)) {
    sink.error(
      [...path, "calendar", "timeZone"],
      `unknown time zone "${tz}"`,
      "write an IANA zone such as Europe/Paris, America/New_York or UTC",
    );
    return undefined;
  }
  const startTimeMs = parseStartTime(tw.calendar.startTime, tz);
  if (startTimeMs === undefined) {
    sink.error(
      [...path, "calendar", "startTime"],
      `"${tw.calendar.startTime}" is not a start time`,
      'write "YYYY-MM-DD HH:mm:ss" in the time zone, e.g. "2026-01-01 00:00:00"',
    );
    return undefined;
  }
  return withinCap(sink, [...path, "duration"], tw.duration, stepMs, {
    type: "calendar",
    unit: calUnit,
    count,
    startTimeMs,
    timeZone: tz,
  });
}

/**
 * Refuses a window whose history (`sloHistoryMs`: the window, or two calendar periods)
 * spans more steps than one evaluation may allocate, here rather than in the report,
 * where it would exhaust memory first.
 */
function withinCap(
  sink: IssueSink,
  path: Path,
  duration: string,
  stepMs: number,
  window: TimeWindow,
): TimeWindow | undefined {
  const steps = sloHistoryMs({ timeWindow: window }) / stepMs;
  if (steps <= MAX_EVALUATION_STEPS) return window;
  const calendar = window.type === "calendar";
  const longestDays = Math.floor((MAX_EVALUATION_STEPS * stepMs) / (calendar ? 2 : 1) / DAY_MS);
  sink.error(
    path,
    `window ${duration} needs ${Math.ceil(steps).toLocaleString("en-US")} steps of ${formatDuration(stepMs)}${calendar ? " (this period and the previous one)" : ""}, over the cap of ${MAX_EVALUATION_STEPS.toLocaleString("en-US")}`,
    `write a ${calendar ? "period" : "window"} of at most ${longestDays}d at this step, e.g. 30d`,
  );
  return undefined;
}
