import type { AlertTier } from "../spec/model.ts";
import { burnRate } from "./burn-rate.ts";
import { type CountPrefix, windowSum } from "./prefix.ts";
import type { AlertState, AlertTierReport } from "./report.ts";

/**
 * Burn rate over `[startMs, endMs)` measured in the prefix's units; `null` when the
 * window holds no events (no data is never read as "all good").
 *
 * @example
 * windowBurnRate(prefix, 0.999, now - 3_600_000, now); // 14.4 when 1.44 % of the last hour's requests failed
 */
export function windowBurnRate(
  prefix: CountPrefix,
  target: number,
  startMs: number,
  endMs: number,
): number | null {
  const w = windowSum(prefix, startMs, endMs);
  if (!(w.total > 0)) return null;
  return burnRate(1 - w.good / w.total, target);
}

/** Inputs of {@link evaluateBurnRateAlerts}. */
export interface BurnRateAlertInput {
  /** Units the error ratio is measured in: events, or slices for the Timeslices methods. */
  readonly units: CountPrefix;
  /** Raw event counts for the low-traffic guard; defaults to `units`. */
  readonly events?: CountPrefix;
  readonly target: number;
  readonly tiers: readonly AlertTier[];
  /** Evaluation time: every window is `[nowMs - window, nowMs)`. */
  readonly nowMs: number;
  /** Long windows with fewer events than this report `insufficient_data`. */
  readonly minEvents: number;
}

const SEVERITY_RANK = { page: 2, ticket: 1 } as const;

/**
 * Multi-window, multi-burn-rate alerting (SRE Workbook ch. 5). A tier's condition holds
 * when the long AND the short window both burn at or above its threshold. Faster tiers
 * (shorter long window) are judged first; a tier whose condition holds while a faster
 * tier of the same or higher severity is firing is `suppressed`, so one incident pages
 * once. `no_data` when either window has no events; `insufficient_data` when the long
 * window has fewer events than `minEvents`. Reports come back in the order of `tiers`.
 *
 * @example
 * const prefix = buildPrefix(counts, def.exclusions);
 * const alerts = evaluateBurnRateAlerts({ units: prefix, target: 0.999, tiers: def.alertTiers, nowMs, minEvents: def.minEvents });
 * const paging = alerts.some((a) => a.state === "firing" && a.severity === "page");
 */
export function evaluateBurnRateAlerts(input: BurnRateAlertInput): AlertTierReport[] {
  const { units, target, tiers, nowMs, minEvents } = input;
  const events = input.events ?? units;
  const order = tiers
    .map((tier, index) => ({ tier, index }))
    .sort(
      (a, b) =>
        a.tier.longWindowMs - b.tier.longWindowMs ||
        a.tier.shortWindowMs - b.tier.shortWindowMs ||
        a.index - b.index,
    );
  const reports: AlertTierReport[] = new Array(tiers.length);
  let firingRank = 0;
  for (const { tier, index } of order) {
    const longBurnRate = windowBurnRate(units, target, nowMs - tier.longWindowMs, nowMs);
    const shortBurnRate = windowBurnRate(units, target, nowMs - tier.shortWindowMs, nowMs);
    let state: AlertState;
    if (longBurnRate === null || shortBurnRate === null) {
      state = "no_data";
    } else if (windowSum(events, nowMs - tier.longWindowMs, nowMs).total < minEvents) {
      state = "insufficient_data";
    } else if (longBurnRate >= tier.burnRateThreshold && shortBurnRate >= tier.burnRateThreshold) {
      const rank = SEVERITY_RANK[tier.severity];
      if (firingRank >= rank) {
        state = "suppressed";
      } else {
        state = "firing";
        firingRank = rank;
      }
    } else {
      state = "ok";
    }
    reports[index] = {
      tier: tier.name,
      severity: tier.severity,
      longWindowMs: tier.longWindowMs,
      shortWindowMs: tier.shortWindowMs,
      threshold: tier.burnRateThreshold,
      longBurnRate,
      shortBurnRate,
      state,
    };
  }
  return reports;
}
