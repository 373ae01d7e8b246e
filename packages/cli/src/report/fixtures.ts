import type { AlertTierReport, ObjectiveReport, SloReport } from "@slo/core/slo";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A tier report with the default 30-day tier geometry; tests override the state. */
export function tier(
  name: string,
  longH: number,
  threshold: number,
  severity: "page" | "ticket",
  state: AlertTierReport["state"],
  burn: number | null,
): AlertTierReport {
  return {
    tier: name,
    severity,
    longWindowMs: longH * HOUR,
    shortWindowMs: (longH * HOUR) / 12,
    threshold,
    longBurnRate: burn,
    shortBurnRate: burn,
    state,
  };
}

/** A hand-built objective report, so renderer tests do not depend on the math engine. */
export function objective(overrides: Partial<ObjectiveReport> = {}): ObjectiveReport {
  const end = 30 * DAY;
  return {
    name: "availability",
    target: 0.999,
    sli: 0.9995,
    compliant: true,
    good: 999_500,
    total: 1_000_000,
    errorBudget: {
      allowed: 1000,
      consumed: 500,
      remainingFraction: 0.5,
      allowedMinutes: 43.2,
      consumedMinutes: 21.6,
      remainingMinutes: 21.6,
    },
    currentBurnRate: 0.4,
    timeToExhaustionMs: null,
    alerts: [
      tier("page-1h", 1, 14.4, "page", "ok", 0.4),
      tier("page-6h", 6, 6, "page", "ok", 0.5),
      tier("ticket-1d", 24, 3, "ticket", "ok", 0.5),
      tier("ticket-3d", 72, 1, "ticket", "ok", 0.5),
    ],
    budgetHistory: Array.from({ length: 10 }, (_, i) => ({
      atMs: (i * end) / 9,
      remainingFraction: 1 - i * 0.05,
    })),
    sliHistory: Array.from({ length: 30 }, (_, i) => ({
      startMs: i * DAY,
      sli: i === 12 ? null : 0.9995,
    })),
    burnRates: [1, 6, 24, 72].map((h) => ({ windowMs: h * HOUR, burnRate: 0.5 })),
    calendarHistory: [],
    ...overrides,
  };
}

export function report(slo: string, service: string, objectives: ObjectiveReport[]): SloReport {
  return {
    slo,
    service,
    budgetingMethod: "Occurrences",
    evaluatedAtMs: 30 * DAY,
    windowStartMs: 0,
    windowEndMs: 30 * DAY,
    status: "ok",
    objectives,
  };
}
