import type { SloDefinition } from "../spec/model.ts";

const DAY_MS = 86_400_000;
/** Nominal calendar period lengths: used only to size how much history to fetch. */
const CALENDAR_UNIT_MS = {
  Day: DAY_MS,
  Week: 7 * DAY_MS,
  Month: 31 * DAY_MS,
  Quarter: 92 * DAY_MS,
  Year: 366 * DAY_MS,
} as const;

/**
 * How much history the SLOs need at one evaluation: the longest rolling window, or for
 * calendar windows the current period plus the previous one (its compliance history).
 *
 * @example
 * requiredLookbackMs(slos); // 2_592_000_000 for a fleet of 30-day rolling SLOs
 */
export function requiredLookbackMs(slos: readonly SloDefinition[]): number {
  let longest = 0;
  for (const slo of slos) {
    const w = slo.timeWindow;
    const span = w.type === "rolling" ? w.durationMs : 2 * w.count * CALENDAR_UNIT_MS[w.unit];
    longest = Math.max(longest, span);
  }
  return longest;
}
