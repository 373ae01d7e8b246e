import type { ObjectiveReport, SloReport } from "@slo/core/slo";
import {
  formatBurnRate,
  formatDurationShort,
  formatObjective,
  formatPercent,
  formatWindow,
} from "./format.ts";
import { barChart, escapeXml, lineChart } from "./svg.ts";

export interface HtmlReportMeta {
  readonly title: string;
  readonly source: string;
  readonly generatedAtMs: number;
  readonly evaluatedAtMs: number;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2430;background:#f7f8fa}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.meta{color:#5b6575;margin-bottom:16px}
table{border-collapse:collapse;background:#fff;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid #e3e6eb;text-align:left;white-space:nowrap}
tr.firing td{background:#fdecea}.state-firing{color:#b3261e;font-weight:600}
.card{background:#fff;border:1px solid #e3e6eb;border-radius:6px;padding:12px;margin:12px 0}
.card h3{font-size:15px;margin:0 0 6px}.charts{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0}figcaption{font-size:12px;color:#5b6575}
svg .grid{stroke:#eceef2}svg .tick{font-size:9px;fill:#5b6575}
svg .series{fill:none;stroke:#2f6fde;stroke-width:1.5}svg .dot{fill:#2f6fde}
svg .ref{stroke:#b3261e;stroke-dasharray:4 3;stroke-width:1}
svg .bar{fill:#8fb3ef}svg .bar.alert{fill:#d9534f}
`;

function alertSummary(o: ObjectiveReport): string {
  const firing = o.alerts.filter((a) => a.state === "firing");
  if (firing.length) {
    return `<span class="state-firing">${firing.map((a) => `${a.severity} ${formatWindow(a.longWindowMs)}/${formatWindow(a.shortWindowMs)}`).join(", ")}</span>`;
  }
  const other = o.alerts.find((a) => a.state === "no_data" || a.state === "insufficient_data");
  return other ? escapeXml(other.state.replace("_", " ")) : "ok";
}

function objectiveCharts(report: SloReport, o: ObjectiveReport): string {
  const burnDown = lineChart(
    `Error budget remaining: ${report.slo} ${o.name}`,
    o.budgetHistory.map((p) => [p.atMs, p.remainingFraction] as const),
    { reference: 0, format: (v) => formatPercent(v, 0) },
  );
  const thresholds = new Map<number, { threshold: number; alert: boolean }>();
  for (const a of o.alerts) {
    thresholds.set(a.longWindowMs, { threshold: a.threshold, alert: a.state === "firing" });
  }
  const burn = barChart(
    `Burn rate per window: ${report.slo} ${o.name}`,
    o.burnRates.map((b) => ({
      label: formatWindow(b.windowMs),
      value: b.burnRate,
      ...(thresholds.get(b.windowMs) ?? {}),
    })),
    formatBurnRate,
  );
  const sli = lineChart(
    `SLI per day vs objective: ${report.slo} ${o.name}`,
    o.sliHistory.map((p) => [p.startMs, p.sli] as const),
    { reference: o.target, format: (v) => formatPercent(v, 2) },
  );
  return `<div class="charts">
<figure>${burnDown}<figcaption>Budget burn-down over the window (dashed: exhausted)</figcaption></figure>
<figure>${burn}<figcaption>Burn rate per alert window (dashed: tier threshold)</figcaption></figure>
<figure>${sli}<figcaption>Daily SLI (dashed: objective ${formatPercent(o.target, 2)})</figcaption></figure>
</div>`;
}

/**
 * Renders a self-contained HTML report (inline CSS and SVG, no scripts, no network) with a
 * fleet summary table and, per SLO objective, the budget burn-down, the burn rate per
 * window against the tier thresholds, and the daily SLI against the objective.
 *
 * @example
 * await writeFile("report.html", renderHtmlReport(reports, { title: "SLO report", ... }));
 */
export function renderHtmlReport(reports: readonly SloReport[], meta: HtmlReportMeta): string {
  const rows = reports
    .flatMap((r) =>
      r.objectives.map((o) => {
        const firing = o.alerts.some((a) => a.state === "firing");
        return `<tr class="${firing ? "firing" : ""}"><td><a href="#${escapeXml(r.slo)}">${escapeXml(r.slo)}</a></td><td>${escapeXml(o.name)}</td><td>${escapeXml(formatObjective(o.target, o.op, o.value))}</td><td>${r.status === "no_data" ? "no data" : formatPercent(o.sli)}</td><td>${formatPercent(o.errorBudget.remainingFraction, 1)}</td><td>${formatBurnRate(o.currentBurnRate)}</td><td>${alertSummary(o)}</td><td>${formatDurationShort(o.timeToExhaustionMs)}</td></tr>`;
      }),
    )
    .join("\n");
  const cards = reports
    .map(
      (
        r,
      ) => `<section class="card" id="${escapeXml(r.slo)}"><h3>${escapeXml(r.displayName ?? r.slo)}</h3>
<div class="meta">${escapeXml(r.service)} · ${escapeXml(r.budgetingMethod)} · window ${new Date(r.windowStartMs).toISOString()} → ${new Date(r.windowEndMs).toISOString()}</div>
${r.objectives.map((o) => `<h4>${escapeXml(o.name)}: SLI ${formatPercent(o.sli)} · budget left ${formatPercent(o.errorBudget.remainingFraction, 1)}</h4>${objectiveCharts(r, o)}`).join("\n")}
</section>`,
    )
    .join("\n");
  const firingCount = reports.reduce(
    (n, r) => n + r.objectives.filter((o) => o.alerts.some((a) => a.state === "firing")).length,
    0,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(meta.title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body><h1>${escapeXml(meta.title)}</h1>
<div class="meta">${reports.length} SLOs · ${firingCount} objectives alerting · source ${escapeXml(meta.source)} · evaluated at ${new Date(meta.evaluatedAtMs).toISOString()} · generated ${new Date(meta.generatedAtMs).toISOString()}</div>
<table><thead><tr><th>SLO</th><th>objective</th><th>target</th><th>SLI</th><th>budget left</th><th>burn (1h)</th><th>alerts</th><th>exhausted in</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Details</h2>
${cards}
</body></html>
`;
}
