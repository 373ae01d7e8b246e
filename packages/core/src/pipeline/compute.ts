import { checkSpanSteps, DEFAULT_MAX_STEPS } from "../limits.ts";
import { collectCounts } from "../metrics/index.ts";
import type { MetricsSource, TimeRange } from "../metrics/source.ts";
import { EvaluationScratch, evaluateSlo } from "../slo/index.ts";
import type { SloReport } from "../slo/report.ts";
import type { SloDefinition } from "../spec/model.ts";
import { requiredLookbackMs } from "./lookback.ts";

/** Why one SLO has no report; the others are unaffected. */
export interface SloFailure {
  readonly slo: string;
  readonly service: string;
  readonly reason: string;
}

export interface ComputeSloReportsInput {
  readonly slos: readonly SloDefinition[];
  readonly source: MetricsSource;
  /** Evaluation instant; windows end here (exclusive). Aligned down to `stepMs`. */
  readonly nowMs: number;
  readonly stepMs: number;
  /** Refuse impossible counts instead of clamping them (see `CollectOptions.strict`). */
  readonly strictCounts?: boolean;
  /** Cap on the steps of the evaluated range (default {@link DEFAULT_MAX_STEPS}). */
  readonly maxSteps?: number;
  /** Called after each SLO is evaluated, for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ComputeSloReportsResult {
  readonly range: TimeRange;
  readonly reports: SloReport[];
  readonly failures: SloFailure[];
}

/**
 * Fetches every SLO's counts in one planned, deduplicated pass over the source and
 * evaluates each SLO (SLI, budgets, burn rates, alerts). One SLO failing (missing
 * metric, unsupported source) is reported in `failures`; the others still get reports.
 *
 * @example
 * const { reports, failures } = await computeSloReports({
 *   slos, source: new EmbeddedMetricsSource(), nowMs: EMBEDDED_FLEET_END_MS, stepMs: 60_000,
 * });
 */
export async function computeSloReports(
  input: ComputeSloReportsInput,
): Promise<ComputeSloReportsResult> {
  const { slos, source, stepMs } = input;
  const endMs = Math.floor(input.nowMs / stepMs) * stepMs;
  const lookback = Math.ceil(requiredLookbackMs(slos) / stepMs) * stepMs;
  const range: TimeRange = { startMs: endMs - lookback, endMs, stepMs };
  const maxSteps = input.maxSteps ?? DEFAULT_MAX_STEPS;
  if (lookback / stepMs > maxSteps) {
    // Name the SLO that asks for the most history: it is the one to fix.
    let widest = slos[0];
    for (const slo of slos)
      if (requiredLookbackMs([slo]) > requiredLookbackMs(widest ? [widest] : [])) widest = slo;
    checkSpanSteps(
      `SLO "${widest?.name}" (its time window, evaluated at a ${stepMs / 1000} s step)`,
      range.startMs,
      range.endMs,
      stepMs,
      maxSteps,
    );
  }
  const collected = await collectCounts(slos, source, range, {
    strict: input.strictCounts ?? false,
  });
  const failures: SloFailure[] = [];
  const reports: SloReport[] = [];
  let done = 0;
  // One set of prefix buffers for the whole run: the SLOs are evaluated one by one.
  const scratch = new EvaluationScratch();
  for (const slo of slos) {
    const failure = collected.failures.get(slo.name);
    const counts = collected.counts.get(slo.name);
    if (failure !== undefined || counts === undefined) {
      failures.push({
        slo: slo.name,
        service: slo.service,
        reason: failure ?? "no counts were assembled",
      });
    } else {
      try {
        reports.push(evaluateSlo(slo, counts, endMs, scratch));
      } catch (error) {
        failures.push({
          slo: slo.name,
          service: slo.service,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    input.onProgress?.(++done, slos.length);
  }
  return { range, reports, failures };
}
