import { stringify } from "yaml";
import { type ExprNode, parseExpression } from "../metrics/expression.ts";
import { type CountRecipe, planSloQueries } from "../metrics/plan.ts";
import { periodMs } from "../spec/alert-tiers.ts";
import type { CloudWatchQuery, SloDefinition } from "../spec/model.ts";
import { PrometheusMappingError, prometheusSeries, promqlSelector } from "./prometheus-names.ts";

/** One Prometheus rule as the rule-file format writes it. */
export interface PrometheusRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface PrometheusRuleGroup {
  readonly name: string;
  readonly rules: readonly PrometheusRule[];
}

/** What one SLO could not carry over into PromQL; listed in the file's header. */
export interface CannotExpress {
  readonly slo: string;
  readonly reasons: readonly string[];
}

export interface PrometheusRulesResult {
  readonly groups: readonly PrometheusRuleGroup[];
  readonly cannotExpress: readonly CannotExpress[];
}

const UNITS: readonly [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
];

/**
 * A Prometheus duration in the largest unit that divides it (`3600000` -> `1h`).
 *
 * @example
 * promDuration(1_800_000); // "30m"
 */
export function promDuration(ms: number): string {
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** The recording rule name of a window's error ratio (Sloth's naming). */
export function errorRatioRecord(windowMs: number): string {
  return `slo:sli_error:ratio_rate${promDuration(windowMs)}`;
}

/** The recording rule name of a window's event count (the low-traffic guard). */
export function eventsRecord(windowMs: number): string {
  return `slo:sli_total:increase${promDuration(windowMs)}`;
}

/** PromQL of one CloudWatch query's event count over a window. */
function windowPromql(query: CloudWatchQuery, window: string): string {
  if (query.kind === "metric") {
    return `sum(increase(${promqlSelector(prometheusSeries(query))}[${window}]))`;
  }
  const walk = (node: ExprNode): string => {
    switch (node.type) {
      case "num":
        return String(node.value);
      case "id": {
        const metric = query.metrics[node.name];
        if (!metric) throw new PrometheusMappingError(`expression names unknown id ${node.name}`);
        return `sum(increase(${promqlSelector(prometheusSeries(metric))}[${window}]))`;
      }
      case "neg":
        return `-(${walk(node.arg)})`;
      case "bin":
        return `(${walk(node.left)} ${node.op} ${walk(node.right)})`;
      case "call": {
        const [arg, fill] = node.args;
        if (node.fn === "FILL" && arg && fill?.type === "num") {
          // A missing series (no such event in the window) counts as the fill value.
          return `(${walk(arg)} or vector(${fill.value}))`;
        }
        throw new PrometheusMappingError(
          `metric math ${node.fn}(..) other than FILL(x, number) has no PromQL counterpart`,
        );
      }
      default:
        throw new PrometheusMappingError(`metric math "${node.type}" has no PromQL counterpart`);
    }
  };
  return walk(parseExpression(query.expression));
}

/** Error ratio and event count PromQL of one objective's recipe. */
function recipePromql(
  recipe: CountRecipe,
  queries: ReadonlyMap<string, CloudWatchQuery>,
  window: string,
): { error: string; total: string } {
  const q = (id: string): CloudWatchQuery => {
    const query = queries.get(id);
    if (!query) throw new PrometheusMappingError(`planned query ${id} is missing`);
    return query;
  };
  if (recipe.kind === "timeslice") {
    throw new PrometheusMappingError(
      "Timeslices/RatioTimeslices budgeting (a slice good when its statistic meets the threshold) has no exact PromQL counterpart over counters",
    );
  }
  const total = windowPromql(q(recipe.total), window);
  if (recipe.kind === "bad_total") {
    return { error: `${windowPromql(q(recipe.bad), window)} / ${total}`, total };
  }
  return { error: `1 - (${windowPromql(q(recipe.good), window)} / ${total})`, total };
}

/** What PromQL loses for this SLO even when its rules are written. */
function partialLosses(slo: SloDefinition): string[] {
  const losses: string[] = [];
  if (slo.exclusions.length > 0) {
    losses.push(
      `${slo.exclusions.length} exclusion window(s): PromQL windows cannot drop a past time range, so events inside them still count`,
    );
  }
  if (slo.timeWindow.type === "calendar") {
    losses.push(
      `calendar window (${slo.timeWindow.count} ${slo.timeWindow.unit}, ${slo.timeWindow.timeZone}): the SLI rule is a rolling ${promDuration(periodMs(slo.timeWindow))} window`,
    );
  }
  if (slo.alertTiers.length > 1) {
    losses.push(
      "tier suppression (a slower tier stays quiet while a faster one of the same or higher severity fires): use Alertmanager inhibit_rules on slo + severity",
    );
  }
  return losses;
}

/**
 * Sloth/Pyrra-shaped Prometheus rules for SLOs: per SLO and objective, recording rules
 * `slo:sli_error:ratio_rate<W>` (error ratio) and `slo:sli_total:increase<W>` (events)
 * for every alert window and the budget period, and one multiwindow multi-burn-rate
 * alert per tier (`SLOErrorBudgetBurn`, labels `slo`, `service`, `objective`,
 * `severity`, `tier`, `long_window`, `short_window`). An alert fires, as this engine's,
 * when both windows burn at or above the tier's threshold and the long window holds at
 * least `minEvents` events. What PromQL cannot express is returned per SLO; an SLO
 * that cannot be written at all (Timeslices, percentile statistics) gets no rules.
 *
 * @example
 * const { groups, cannotExpress } = prometheusRules(slos);
 * writeFileSync("slo-rules.yml", prometheusRulesYaml(slos));
 */
export function prometheusRules(slos: readonly SloDefinition[]): PrometheusRulesResult {
  const plan = planSloQueries(slos, 60_000);
  const queries = new Map(plan.queries.map((q) => [q.id, q.query]));
  const groups: PrometheusRuleGroup[] = [];
  const cannotExpress: CannotExpress[] = [];
  for (const slo of slos) {
    const planned = plan.slos.find((p) => p.slo === slo.name);
    const failure =
      slo.budgetingMethod === "Occurrences"
        ? plan.failures.get(slo.name)
        : `${slo.budgetingMethod} budgeting (slices judged one by one) has no exact PromQL counterpart over counters; write it as Occurrences to export it`;
    if (!planned || failure !== undefined) {
      cannotExpress.push({ slo: slo.name, reasons: [`not written: ${failure ?? "not planned"}`] });
      continue;
    }
    const windows = [
      ...new Set([
        ...slo.alertTiers.flatMap((t) => [t.longWindowMs, t.shortWindowMs]),
        periodMs(slo.timeWindow),
      ]),
    ].sort((a, b) => a - b);
    try {
      const rules: PrometheusRule[] = [];
      for (const [i, objective] of slo.objectives.entries()) {
        const recipe = planned.objectives[i]?.recipe;
        if (!recipe) throw new PrometheusMappingError(`objective ${objective.name} not planned`);
        const labels = { slo: slo.name, service: slo.service, objective: objective.name };
        const match = `{slo="${slo.name}",objective="${objective.name}"}`;
        for (const w of windows) {
          const { error, total } = recipePromql(recipe, queries, promDuration(w));
          rules.push({ record: errorRatioRecord(w), expr: error, labels });
          rules.push({ record: eventsRecord(w), expr: total, labels });
        }
        for (const tier of slo.alertTiers) {
          const burn = (w: number) =>
            `${errorRatioRecord(w)}${match} / (1 - ${objective.target}) >= ${tier.burnRateThreshold}`;
          const guard = `${eventsRecord(tier.longWindowMs)}${match} >= ${slo.minEvents}`;
          rules.push({
            alert: "SLOErrorBudgetBurn",
            expr: `(${burn(tier.longWindowMs)}) and (${burn(tier.shortWindowMs)}) and (${guard})`,
            labels: {
              ...labels,
              severity: tier.severity,
              tier: tier.name,
              long_window: promDuration(tier.longWindowMs),
              short_window: promDuration(tier.shortWindowMs),
            },
            annotations: {
              summary: `${slo.displayName ?? slo.name}: burning the ${objective.name} error budget at >= ${tier.burnRateThreshold}x over ${promDuration(tier.longWindowMs)} and ${promDuration(tier.shortWindowMs)}`,
              runbook: `slo report --service ${slo.service} (${slo.location.file}); then "slo rollback" or "slo scaling" as the runbook for ${slo.service} says`,
            },
          });
        }
      }
      groups.push({ name: `slo-${slo.name}`, rules });
      const losses = partialLosses(slo);
      if (losses.length > 0) cannotExpress.push({ slo: slo.name, reasons: losses });
    } catch (error) {
      if (!(error instanceof PrometheusMappingError)) throw error;
      cannotExpress.push({ slo: slo.name, reasons: [`not written: ${error.message}`] });
    }
  }
  return { groups, cannotExpress };
}

/**
 * The rule file text: a header listing, per SLO, what PromQL cannot express, then the
 * groups. Feed it to `promtool check rules` or a Prometheus `rule_files` entry.
 *
 * @example
 * await writeFile("slo-rules.yml", prometheusRulesYaml(await loadFleetSlos()));
 */
export function prometheusRulesYaml(slos: readonly SloDefinition[]): string {
  const { groups, cannotExpress } = prometheusRules(slos);
  const header = [
    "# Generated by `slo export prometheus-rules` from the OpenSLO definitions; do not edit.",
    `# ${groups.length} of ${slos.length} SLOs written. Series names: aws_<namespace>_<metric>_{total,count,bucket}.`,
    ...(cannotExpress.length === 0
      ? ["# Everything in the definitions is expressed."]
      : [
          "# Cannot be expressed in PromQL:",
          ...cannotExpress.flatMap((c) => c.reasons.map((r) => `#   ${c.slo}: ${r}`)),
        ]),
  ];
  return `${header.join("\n")}\n${stringify({ groups }, { lineWidth: 0 })}`;
}
