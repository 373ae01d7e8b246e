import { STAGE_REPORT_KEY } from "../stage-report/model.ts";
import type { TextWidget, Unplaced } from "./widgets.ts";

/**
 * The Logs Insights query over the SLO jobs' "slo values" lines (one per objective and
 * job run: the calculator logs `SLI`, `Compliance`, `ErrorBudgetRemaining`, the evaluator
 * `BurnRate_<window>` and `AlertState`, under `values`). `serviceFilter` is the exact
 * `Service="..."` text of the stage dashboard's variable: written after `slo`, it makes
 * `sloService="..."`, so picking a service in the toolbar rewrites the query too.
 *
 * @example
 * sloValuesQuery("prod", 'Service="order-service"');
 * // fields @timestamp, slo, ... | filter message = "slo values" and stage = "prod" and sloService="order-service" | ...
 */
export function sloValuesQuery(stage: string, serviceFilter?: string): string {
  const service = serviceFilter === undefined ? "" : ` and slo${serviceFilter}`;
  return (
    "fields @timestamp, sloService, slo, values.SLI, values.ErrorBudgetRemaining, values.AlertState, values.BurnRate_1h, values.BurnRate_5m" +
    ` | filter message = "slo values" and stage = ${JSON.stringify(stage)}${service}` +
    " | sort @timestamp desc | limit 200"
  );
}

/**
 * The text widget of a `minimal` stage's dashboards saying where each SLO's numbers are,
 * since no metric per objective exists to graph: the stage report object, the gate that
 * reads it, and the Logs Insights query on the logged values.
 *
 * @example
 * perSloDetailWidget("prod"); // a 24-wide text widget
 */
export function perSloDetailWidget(stage: string, serviceFilter?: string): Unplaced<TextWidget> {
  return {
    type: "text",
    width: 24,
    height: 5,
    properties: {
      markdown: [
        "### Per-SLO numbers (metrics profile minimal: no metric per objective)",
        `* **Stage report**: \`${STAGE_REPORT_KEY}\` in the stage's rollup bucket, rewritten by every burn-rate evaluator run: each objective's SLI, error budget remaining and alert state.`,
        `* **Deploy gate**: \`slo gate --aws --stage ${stage} --service NAME\` reads it.`,
        `* **Logs Insights** on the SLO jobs' log groups (slo-calculator, burn-rate-evaluator), every value of every run: \`${sloValuesQuery(stage, serviceFilter)}\``,
      ].join("\n"),
    },
  };
}
