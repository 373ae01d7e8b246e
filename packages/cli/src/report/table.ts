import type { ObjectiveReport, SloReport } from "@slo/core/slo";
import {
  formatBurnRate,
  formatDurationShort,
  formatObjective,
  formatPercent,
  formatWindow,
} from "./format.ts";

interface Row {
  readonly cells: readonly string[];
  readonly alert: boolean;
}

const HEADERS = [
  "SLO",
  "objective",
  "SLI",
  "budget left",
  "burn rate (long windows)",
  "alerts",
  "exhausted in",
] as const;

function burnRates(objective: ObjectiveReport): string {
  return objective.alerts
    .map((a) => `${formatWindow(a.longWindowMs)} ${formatBurnRate(a.longBurnRate)}`)
    .join("  ");
}

function alertCell(objective: ObjectiveReport): string {
  const firing = objective.alerts.filter((a) => a.state === "firing");
  if (firing.length > 0) {
    return firing
      .map((a) => `${a.severity.toUpperCase()} ${formatWindow(a.longWindowMs)}`)
      .join(", ");
  }
  if (objective.alerts.some((a) => a.state === "no_data")) return "no data";
  if (objective.alerts.some((a) => a.state === "insufficient_data")) return "low traffic";
  return "ok";
}

function rowsOf(report: SloReport): Row[] {
  return report.objectives.map((objective, i) => {
    const target = formatObjective(objective.target, objective.op, objective.value);
    const alerts = alertCell(objective);
    return {
      cells: [
        i === 0 ? report.slo : "",
        target,
        report.status === "no_data" ? "no data" : formatPercent(objective.sli),
        formatPercent(objective.errorBudget.remainingFraction, 1),
        burnRates(objective),
        alerts,
        formatDurationShort(objective.timeToExhaustionMs),
      ],
      alert: objective.alerts.some((a) => a.state === "firing"),
    };
  });
}

/**
 * Renders SLO reports as an aligned terminal table, one line per objective, grouped by
 * service. Colour is used only when `color` is set (a terminal).
 *
 * @example
 * process.stdout.write(renderReportTable(reports, { color: process.stdout.isTTY }));
 */
export function renderReportTable(
  reports: readonly SloReport[],
  options: { readonly color?: boolean } = {},
): string {
  const byService = new Map<string, SloReport[]>();
  for (const r of reports) byService.set(r.service, [...(byService.get(r.service) ?? []), r]);
  const groups = [...byService.entries()].map(([service, list]) => ({
    service,
    rows: list.flatMap(rowsOf),
  }));
  const all = groups.flatMap((g) => g.rows);
  const widths = HEADERS.map((h, c) =>
    Math.max(h.length, ...all.map((r) => (r.cells[c] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join("  ")
      .trimEnd();
  const red = (s: string) => (options.color ? `\x1b[31m${s}\x1b[0m` : s);
  const bold = (s: string) => (options.color ? `\x1b[1m${s}\x1b[0m` : s);
  const out: string[] = [bold(line(HEADERS))];
  for (const group of groups) {
    out.push("", bold(group.service));
    for (const row of group.rows) out.push(row.alert ? red(line(row.cells)) : line(row.cells));
  }
  return `${out.join("\n")}\n`;
}
