import { SloPlatformError } from "../errors.ts";
import type { SloReport } from "../slo/report.ts";
import type { SloDefinition } from "../spec/model.ts";

/** What the gate knows of one SLO objective: budget left and the most severe firing tier. */
export interface GateObjective {
  readonly slo: string;
  readonly objective: string;
  readonly service: string;
  /** Remaining error budget as a fraction (negative once overspent); `null` = no data. */
  readonly budgetRemaining: number | null;
  /** Most severe firing alert tier, `null` when none fires. */
  readonly firing: "page" | "ticket" | null;
  /**
   * Why this objective's data cannot be trusted (its report could not be computed:
   * impossible counts, a missing metric). Always blocks: a gate fails closed.
   */
  readonly untrusted?: string;
}

/** When a deploy may go out. Defaults: block on an exhausted budget or a firing page. */
export interface GatePolicy {
  /** Block when any objective has less budget left than this fraction (default 0). */
  readonly minBudgetRemaining?: number;
  /** Firing severity that blocks: `page` (default), `ticket` (either) or `none`. */
  readonly blockOn?: "page" | "ticket" | "none";
  /** An objective without data: `allow` with a warning (default) or `block`. */
  readonly noData?: "allow" | "block";
}

export interface GateVerdict {
  readonly slo: string;
  readonly objective: string;
  readonly verdict: "pass" | "warn" | "block";
  readonly reasons: readonly string[];
}

export interface GateDecision {
  readonly allowed: boolean;
  readonly verdicts: readonly GateVerdict[];
}

/** Thrown for a policy the gate cannot apply; the message says what to write instead. */
export class GatePolicyError extends SloPlatformError {
  constructor(message: string) {
    super(message, "usage");
    this.name = "GatePolicyError";
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Decides whether a deploy may proceed from the error budgets and alerts of the SLOs it
 * touches. Spending budget on a release while the budget is gone, or while a burn is
 * paging someone, is what the error-budget policy exists to stop; a warning is enough
 * for a ticket-level burn or a missing signal unless the policy says otherwise.
 *
 * @example
 * const { allowed, verdicts } = decideDeploy(gateObjectivesFromReports(reports), {
 *   minBudgetRemaining: 0.1,
 * });
 */
export function decideDeploy(
  objectives: readonly GateObjective[],
  policy: GatePolicy = {},
): GateDecision {
  const minBudget = policy.minBudgetRemaining ?? 0;
  if (!(minBudget >= 0 && minBudget <= 1)) {
    throw new GatePolicyError(
      `minBudgetRemaining is ${minBudget}: write a fraction between 0 and 1, e.g. 0.1 to keep 10 % of the budget in reserve`,
    );
  }
  const blockOn = policy.blockOn ?? "page";
  const verdicts = objectives.map((o): GateVerdict => {
    const blocks: string[] = [];
    const warns: string[] = [];
    if (o.untrusted !== undefined) {
      blocks.push(`cannot be judged, so the gate fails closed: ${o.untrusted}`);
    } else if (o.budgetRemaining === null) {
      (policy.noData === "block" ? blocks : warns).push("no data: the budget cannot be judged");
    } else if (o.budgetRemaining <= 0) {
      blocks.push(`error budget exhausted (${pct(o.budgetRemaining)} left)`);
    } else if (o.budgetRemaining < minBudget) {
      blocks.push(
        `${pct(o.budgetRemaining)} of the budget left, below the ${pct(minBudget)} reserve`,
      );
    }
    if (o.firing !== null) {
      const blocking = blockOn === "ticket" || (blockOn === "page" && o.firing === "page");
      (blocking ? blocks : warns).push(`a ${o.firing} alert is firing`);
    }
    const verdict = blocks.length > 0 ? "block" : warns.length > 0 ? "warn" : "pass";
    return { slo: o.slo, objective: o.objective, verdict, reasons: [...blocks, ...warns] };
  });
  return { allowed: verdicts.every((v) => v.verdict !== "block"), verdicts };
}

/**
 * The gate's view of freshly computed reports (`slo gate` on the embedded fleet or a
 * metrics file).
 *
 * @example
 * gateObjectivesFromReports(result.reports).filter((o) => o.service === "order-service");
 */
export function gateObjectivesFromReports(reports: readonly SloReport[]): GateObjective[] {
  return reports.flatMap((r) =>
    r.objectives.map((o) => {
      const firing = o.alerts.filter((a) => a.state === "firing");
      return {
        slo: r.slo,
        objective: o.name,
        service: r.service,
        budgetRemaining: o.errorBudget.remainingFraction,
        firing: firing.some((a) => a.severity === "page")
          ? ("page" as const)
          : firing.length > 0
            ? ("ticket" as const)
            : null,
      };
    }),
  );
}

/**
 * Every objective of `slos` as untrusted for one `reason`: what the gate knows when the
 * data it decides from does not exist (no stage report written yet), so the deploy is
 * blocked, whatever the no-data policy says, with the reason on every line.
 *
 * @example
 * decideDeploy(untrustedObjectives(slos, "no stage report at s3://b/reports/stage.json"), policy).allowed; // false
 */
export function untrustedObjectives(
  slos: readonly SloDefinition[],
  reason: string,
): GateObjective[] {
  return slos.flatMap((slo) =>
    slo.objectives.map((o) => ({
      slo: slo.name,
      objective: o.name,
      service: slo.service,
      budgetRemaining: null,
      firing: null,
      untrusted: reason,
    })),
  );
}
