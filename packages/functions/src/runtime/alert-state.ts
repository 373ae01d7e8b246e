import type { ObjectiveReport, SloReport } from "@slo/core/slo";

export type Severity = "page" | "ticket";

/**
 * A state of an objective the evaluator announces besides its burn-rate tiers, when it
 * is the pager (instead of one CloudWatch alarm per objective for each): the error
 * budget is used up, or the SLO window has no events at all (no data is not "100 %
 * good"). Both are tickets.
 */
export type AlertCondition = "budget-exhausted" | "no-data";

/** What was last notified for one SLO objective and severity. */
export interface StoredAlert {
  readonly slo: string;
  readonly service: string;
  readonly objective: string;
  readonly severity: Severity;
  readonly status: "firing" | "ok";
  /** When the alert entered `status` (evaluation time, epoch ms). */
  readonly sinceMs: number;
  /** Set for a budget-exhausted or no-data alert; absent for burn-rate tiers. */
  readonly condition?: AlertCondition;
}

/** The burn-rate evaluator's memory between runs (one JSON object in the rollup bucket). */
export interface AlertStateDocument {
  readonly version: 1;
  readonly updatedAtMs: number;
  readonly alerts: Readonly<Record<string, StoredAlert>>;
}

export const EMPTY_ALERT_STATE: AlertStateDocument = { version: 1, updatedAtMs: 0, alerts: {} };

/** One tier's figures, copied into notifications so a page says why it fired. */
export interface TierFigures {
  readonly tier: string;
  readonly threshold: number;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly longBurnRate: number | null;
  readonly shortBurnRate: number | null;
  readonly state: string;
}

/**
 * The current evaluation of one SLO objective at one severity: `firing` when a tier of
 * that severity fires, `suppressed` when one would fire but a faster tier already does,
 * `unknown` when every tier lacks data (no data is never "resolved").
 */
export interface AlertObservation {
  readonly slo: string;
  readonly service: string;
  readonly objective: string;
  readonly severity: Severity;
  readonly status: "firing" | "suppressed" | "ok" | "unknown";
  readonly tiers: readonly TierFigures[];
  /** Set for a budget-exhausted or no-data observation (then `tiers` is empty). */
  readonly condition?: AlertCondition;
  /** What the condition's figure is, e.g. `error budget remaining -12.5%`. */
  readonly detail?: string;
}

/** A state change to announce on the severity's SNS topic. */
export interface AlertNotification {
  readonly key: string;
  readonly kind: "firing" | "resolved";
  readonly slo: string;
  readonly service: string;
  readonly objective: string;
  readonly severity: Severity;
  readonly atMs: number;
  /** When the previous state began (how long it was firing, for a resolve). */
  readonly previousSinceMs: number | undefined;
  readonly tiers: readonly TierFigures[];
  readonly condition?: AlertCondition;
  readonly detail?: string;
}

/** Stable key of one objective/severity (or condition) in the state document. */
export function alertKey(
  slo: string,
  objective: string,
  severity: Severity,
  condition?: AlertCondition,
): string {
  return `${slo}/${objective}/${condition ?? severity}`;
}

function fraction(x: number): string {
  return `${Number((x * 100).toPrecision(4))}%`;
}

/**
 * The budget-exhausted and no-data state of every objective, as ticket observations:
 * budget `firing` at a remaining fraction <= 0, no data `firing` when the SLO window has
 * no events. A figure that cannot be judged (no data for the budget) is `unknown`, which
 * keeps the stored state. An SLO whose counts are incomplete has no report and so no
 * observation: the job's JobErrors alarm covers it.
 *
 * @example
 * observeConditions(reports).filter((o) => o.status === "firing").map((o) => o.condition);
 */
export function observeConditions(reports: readonly SloReport[]): AlertObservation[] {
  const out: AlertObservation[] = [];
  for (const report of reports) {
    for (const objective of report.objectives) {
      const base = {
        slo: report.slo,
        service: report.service,
        objective: objective.name,
        severity: "ticket" as const,
        tiers: [],
      };
      const remaining = objective.errorBudget.remainingFraction;
      out.push({
        ...base,
        condition: "budget-exhausted",
        status: remaining === null ? "unknown" : remaining <= 0 ? "firing" : "ok",
        detail:
          remaining === null
            ? "error budget unknown (no data)"
            : `error budget remaining ${fraction(remaining)}`,
      });
      out.push({
        ...base,
        condition: "no-data",
        status: objective.sli === null ? "firing" : "ok",
        detail:
          objective.sli === null
            ? "no events in the SLO window"
            : `SLI ${fraction(objective.sli)} over ${objective.total} units`,
      });
    }
  }
  return out;
}

function severityStatus(tiers: readonly TierFigures[]): AlertObservation["status"] {
  if (tiers.some((t) => t.state === "firing")) return "firing";
  if (tiers.some((t) => t.state === "suppressed")) return "suppressed";
  if (
    tiers.length > 0 &&
    tiers.every((t) => t.state === "no_data" || t.state === "insufficient_data")
  ) {
    return "unknown";
  }
  return "ok";
}

/**
 * Turns evaluated reports into one observation per objective and severity present in
 * the SLO's alert tiers.
 *
 * @example
 * observeAlerts(reports).filter((o) => o.status === "firing");
 */
export function observeAlerts(reports: readonly SloReport[]): AlertObservation[] {
  const out: AlertObservation[] = [];
  for (const report of reports) {
    for (const objective of report.objectives) {
      for (const severity of ["page", "ticket"] as const) {
        const tiers = tierFigures(objective, severity);
        if (tiers.length === 0) continue;
        out.push({
          slo: report.slo,
          service: report.service,
          objective: objective.name,
          severity,
          status: severityStatus(tiers),
          tiers,
        });
      }
    }
  }
  return out;
}

function tierFigures(objective: ObjectiveReport, severity: Severity): TierFigures[] {
  return objective.alerts
    .filter((a) => a.severity === severity)
    .map((a) => ({
      tier: a.tier,
      threshold: a.threshold,
      longWindowMs: a.longWindowMs,
      shortWindowMs: a.shortWindowMs,
      longBurnRate: a.longBurnRate,
      shortBurnRate: a.shortBurnRate,
      state: a.state,
    }));
}

export interface AlertTransitions {
  readonly next: AlertStateDocument;
  readonly notifications: AlertNotification[];
}

/**
 * Compares observations with the stored state: a notification only when an alert
 * starts firing or stops (a resolve), never on a repeat. `suppressed` and `unknown`
 * keep the previous state; SLOs no longer defined (`knownSlos`) are dropped.
 *
 * @example
 * const { next, notifications } = planAlertTransitions(previous, observeAlerts(reports), nowMs, names);
 */
export function planAlertTransitions(
  previous: AlertStateDocument,
  observations: readonly AlertObservation[],
  nowMs: number,
  knownSlos: ReadonlySet<string>,
): AlertTransitions {
  const alerts: Record<string, StoredAlert> = {};
  for (const [key, stored] of Object.entries(previous.alerts)) {
    if (knownSlos.has(stored.slo)) alerts[key] = stored;
  }
  const notifications: AlertNotification[] = [];
  for (const o of observations) {
    const key = alertKey(o.slo, o.objective, o.severity, o.condition);
    const before = alerts[key];
    const wasFiring = before?.status === "firing";
    if (o.status === "unknown" || o.status === "suppressed") continue;
    const nowFiring = o.status === "firing";
    if (before !== undefined && wasFiring === nowFiring) continue;
    alerts[key] = {
      slo: o.slo,
      service: o.service,
      objective: o.objective,
      severity: o.severity,
      status: nowFiring ? "firing" : "ok",
      sinceMs: nowMs,
      ...(o.condition ? { condition: o.condition } : {}),
    };
    // A first sighting that is healthy is recorded silently: there is nothing to resolve.
    if (!nowFiring && !wasFiring) continue;
    notifications.push({
      key,
      kind: nowFiring ? "firing" : "resolved",
      slo: o.slo,
      service: o.service,
      objective: o.objective,
      severity: o.severity,
      atMs: nowMs,
      previousSinceMs: before?.sinceMs,
      tiers: o.tiers,
      ...(o.condition ? { condition: o.condition } : {}),
      ...(o.detail !== undefined ? { detail: o.detail } : {}),
    });
  }
  return { next: { version: 1, updatedAtMs: nowMs, alerts }, notifications };
}

/**
 * Undoes the state change of notifications that could not be delivered, so the next
 * run sees the change again and retries the notification.
 */
export function revertAlerts(
  next: AlertStateDocument,
  previous: AlertStateDocument,
  keys: readonly string[],
): AlertStateDocument {
  const alerts: Record<string, StoredAlert> = { ...next.alerts };
  for (const key of keys) {
    const before = previous.alerts[key];
    if (before === undefined) delete alerts[key];
    else alerts[key] = before;
  }
  return { ...next, alerts };
}

/**
 * Checks a decoded state object; anything else is rejected so a corrupt object is
 * rebuilt rather than trusted.
 */
export function isAlertStateDocument(value: unknown): value is AlertStateDocument {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.version !== 1 || typeof v.updatedAtMs !== "number") return false;
  if (typeof v.alerts !== "object" || v.alerts === null) return false;
  return Object.values(v.alerts as Record<string, unknown>).every((a) => {
    const s = a as Record<string, unknown>;
    return (
      typeof s === "object" &&
      s !== null &&
      typeof s.slo === "string" &&
      typeof s.objective === "string" &&
      (s.severity === "page" || s.severity === "ticket") &&
      (s.status === "firing" || s.status === "ok") &&
      typeof s.sinceMs === "number" &&
      (s.condition === undefined || s.condition === "budget-exhausted" || s.condition === "no-data")
    );
  });
}
