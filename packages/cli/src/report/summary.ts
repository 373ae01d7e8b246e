import type { SloFailure } from "@slo/core/pipeline";
import type { SloReport } from "@slo/core/slo";

export interface ReportSummary {
  readonly slos: number;
  /** One entry per firing tier: which SLO objective pages or tickets, and why. */
  readonly firing: ReadonlyArray<{
    readonly slo: string;
    readonly service: string;
    readonly objective: string;
    readonly tier: string;
    readonly severity: "page" | "ticket";
    readonly longBurnRate: number | null;
    readonly shortBurnRate: number | null;
    readonly threshold: number;
  }>;
  /** SLO objectives with a tier in `no_data` (or the whole window without data). */
  readonly noData: readonly string[];
  readonly breached: readonly string[];
  readonly failures: number;
}

/** The fleet-level digest printed under the table and at the top of the JSON document. */
export function summariseReports(
  reports: readonly SloReport[],
  failures: readonly SloFailure[],
): ReportSummary {
  const firing: Array<ReportSummary["firing"][number]> = [];
  const noData: string[] = [];
  const breached: string[] = [];
  for (const r of reports) {
    for (const o of r.objectives) {
      const id = `${r.slo}/${o.name}`;
      for (const a of o.alerts) {
        if (a.state === "firing") {
          firing.push({
            slo: r.slo,
            service: r.service,
            objective: o.name,
            tier: a.tier,
            severity: a.severity,
            longBurnRate: a.longBurnRate,
            shortBurnRate: a.shortBurnRate,
            threshold: a.threshold,
          });
        }
      }
      if (r.status === "no_data" || o.alerts.some((a) => a.state === "no_data")) noData.push(id);
      if (o.compliant === false) breached.push(id);
    }
  }
  return {
    slos: reports.length + failures.length,
    firing,
    noData,
    breached,
    failures: failures.length,
  };
}
