import type { SloDefinition } from "../spec/model.ts";

const DAY_MS = 86_400_000;
/** Longest length of each calendar unit: used only to size how much history to fetch. */
const CALENDAR_UNIT_MS = {
  Day: DAY_MS,
  Week: 7 * DAY_MS,
  Month: 31 * DAY_MS,
  Quarter: 92 * DAY_MS,
  Year: 366 * DAY_MS,
} as const;

/**
 * History one SLO needs at an evaluation: its rolling window, or for a calendar window
 * the current period plus the previous one, because the report's `calendarHistory`
 * scores the last completed period and a period that started just now would otherwise
 * have none. The CLI fetches this much and the rollups keep this much (plus slack), so
 * both compute the same report.
 *
 * @example
 * sloHistoryMs(slo30dRolling); // 2_592_000_000
 * sloHistoryMs(sloCalendarMonth); // 62 days in ms
 */
export function sloHistoryMs(slo: Pick<SloDefinition, "timeWindow">): number {
  const w = slo.timeWindow;
  return w.type === "rolling" ? w.durationMs : 2 * w.count * CALENDAR_UNIT_MS[w.unit];
}

/**
 * How much history the SLOs need at one evaluation: the longest {@link sloHistoryMs}.
 *
 * @example
 * requiredLookbackMs(slos); // 2_592_000_000 for a fleet of 30-day rolling SLOs
 */
export function requiredLookbackMs(slos: ReadonlyArray<Pick<SloDefinition, "timeWindow">>): number {
  let longest = 0;
  for (const slo of slos) longest = Math.max(longest, sloHistoryMs(slo));
  return longest;
}
