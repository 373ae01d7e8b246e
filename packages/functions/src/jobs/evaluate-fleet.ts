import {
  type MetricPoint,
  type MetricSink,
  type RollupStore,
  sloReportPoints,
  updateSloRollups,
  validatePoints,
} from "@slo/aws";
import { publishesObjectiveMetrics } from "@slo/core/monitoring";
import { EvaluationScratch, evaluateSlo, type SloReport } from "@slo/core/slo";
import type { SloDefinition } from "@slo/core/spec";
import type { BaseDeps, SloJobDeps } from "../runtime/deps.ts";
import { errorMessage } from "../runtime/errors.ts";
import type { JobFailure, RunContext } from "../runtime/job.ts";

export interface FleetEvaluation {
  /** End (exclusive) of the evaluated grid: the evaluated step every point carries. */
  readonly endMs: number;
  readonly slos: readonly SloDefinition[];
  /** Reports of SLOs whose counts are complete up to `endMs`. */
  readonly reports: SloReport[];
  readonly failed: JobFailure[];
}

/** Narrows an evaluation to part of the fleet (a shard) with its own rollup store. */
export interface FleetScope {
  /** The definitions to evaluate, from all loaded ones (a shard's SLOs). */
  readonly select?: (slos: readonly SloDefinition[]) => readonly SloDefinition[];
  /** Rollup store of this evaluation (a shard's one-object store). */
  readonly store?: RollupStore;
}

/**
 * The data path the SLO calculator and the burn-rate evaluator share: load the
 * definitions, bring each objective's rollup up to now (incremental fetch, one-time
 * backfill), and evaluate every SLO whose counts are complete. An SLO with stale,
 * partial or failed counts is listed in `failed` and gets no report, so nothing is
 * published from partial data as if it were complete.
 *
 * @example
 * const { reports, failed } = await evaluateFleet(deps, run);
 */
export async function evaluateFleet(
  deps: SloJobDeps,
  run: RunContext,
  scope: FleetScope = {},
): Promise<FleetEvaluation> {
  const loaded = await deps.loadSlos();
  const problems = loaded.problems;
  const slos = scope.select ? scope.select(loaded.slos) : loaded.slos;
  const failed: JobFailure[] = problems.map((p) => ({
    scope: "definitions",
    name: "slos",
    reason: p,
  }));
  const endAligned = Math.floor(run.nowMs / deps.stepMs) * deps.stepMs;
  if (slos.length === 0) {
    failed.push({ scope: "definitions", name: "slos", reason: "no SLO definitions were loaded" });
    return { endMs: endAligned, slos, reports: [], failed };
  }
  let rollups: Awaited<ReturnType<typeof updateSloRollups>>;
  try {
    run.budget.ensure("reading and rolling up the SLO counts");
    rollups = await updateSloRollups({
      defs: slos,
      source: deps.metricsSource(run.budget.signal),
      store: scope.store ?? deps.rollupStore(run.budget.signal),
      nowMs: run.nowMs,
      stepMs: deps.stepMs,
      signal: run.budget.signal,
    });
  } catch (error) {
    // Only a spent budget or an outage of every call gets here: every SLO failed alike.
    const reason = errorMessage(error);
    for (const d of slos) failed.push({ scope: "slo", name: d.name, reason });
    return { endMs: endAligned, slos, reports: [], failed };
  }
  const reports: SloReport[] = [];
  // One set of prefix buffers for the whole run: the SLOs are evaluated one by one.
  const scratch = new EvaluationScratch();
  for (const def of slos) {
    const state = rollups.slos.get(def.name);
    if (!state?.counts || !state.complete) {
      const why = state?.objectives.flatMap((o) => o.messages).join("; ") || "no counts";
      failed.push({
        scope: "slo",
        name: def.name,
        reason: `counts incomplete, not published: ${why}`,
      });
      continue;
    }
    try {
      reports.push(evaluateSlo(def, state.counts, rollups.endMs, scratch));
    } catch (error) {
      failed.push({ scope: "slo", name: def.name, reason: errorMessage(error) });
    }
  }
  return { endMs: rollups.endMs, slos, reports, failed };
}

/**
 * The points of each report that this job owns and the stage's metrics profile
 * publishes, as publish units; the owned points the profile does not publish are
 * logged, one structured line per SLO (`message: "slo values"`, `stage`, `sloService`,
 * `slo`, `evaluatedAt`, and the values keyed
 * `BurnRate_1h`, `Compliance`...), so Logs Insights still has every number without
 * paying for a custom metric per value.
 *
 * @example
 * const units = profileUnits(deps, fleet.reports, new Set(["BurnRate", "AlertState"]));
 */
export function profileUnits(
  deps: Pick<BaseDeps, "stage" | "metricsProfile" | "obs">,
  reports: readonly SloReport[],
  owned: ReadonlySet<string>,
): Array<readonly [string, MetricPoint[]]> {
  return reports.map((r) => {
    const points = sloReportPoints(r, deps.stage).filter((p) => owned.has(p.name));
    const published = publishesObjectiveMetrics(deps.metricsProfile) ? points : [];
    const logged = published.length > 0 ? [] : points;
    const bySlo = new Map<string, Record<string, number>>();
    for (const p of logged) {
      const values = bySlo.get(p.dimensions.SLO ?? r.slo) ?? {};
      values[p.dimensions.Window ? `${p.name}_${p.dimensions.Window}` : p.name] = p.value;
      bySlo.set(p.dimensions.SLO ?? r.slo, values);
    }
    for (const [slo, values] of bySlo) {
      deps.obs.logger.info("slo values", {
        stage: deps.stage,
        // "service" is Powertools' own key (the job): the SLO's service goes under sloService.
        sloService: r.service,
        slo,
        evaluatedAt: new Date(r.evaluatedAtMs).toISOString(),
        values,
      });
    }
    return [r.slo, published] as const;
  });
}

/**
 * Publishes each unit's points in one sink call after checking every unit on its own:
 * a unit whose points break a sink rule is dropped and reported, the others go out.
 *
 * @example
 * const { published, failed } = await publishUnits(sink, [["user-service-availability", points]]);
 */
export async function publishUnits(
  sink: MetricSink,
  units: ReadonlyArray<readonly [string, readonly MetricPoint[]]>,
): Promise<{ published: number; publishedUnits: string[]; failed: JobFailure[] }> {
  const failed: JobFailure[] = [];
  const ok: Array<readonly [string, readonly MetricPoint[]]> = [];
  for (const unit of units) {
    try {
      validatePoints(unit[1]);
      ok.push(unit);
    } catch (error) {
      failed.push({ scope: "publish", name: unit[0], reason: errorMessage(error) });
    }
  }
  const points = ok.flatMap(([, p]) => p);
  if (points.length === 0) return { published: 0, publishedUnits: ok.map(([n]) => n), failed };
  try {
    const result = await sink.publish(points);
    return { published: result.published, publishedUnits: ok.map(([n]) => n), failed };
  } catch (error) {
    const reason = errorMessage(error);
    for (const [name] of ok) failed.push({ scope: "publish", name, reason });
    return { published: 0, publishedUnits: [], failed };
  }
}
