import type { MetricSourceRef, Objective, SloDefinition } from "../spec/model.ts";
import type { LoadPlan } from "./schedule.ts";
import type { RequestSample } from "./summary.ts";

/** Whether one request was good for one objective. */
type Judge = (s: RequestSample) => boolean;

/** The ALB metrics a load generator can observe for itself, as request predicates. */
const BAD_BY_METRIC: Readonly<Record<string, Judge>> = {
  HTTPCode_Target_5XX_Count: (s) => typeof s.outcome === "number" && s.outcome >= 500,
  HTTPCode_ELB_5XX_Count: (s) => typeof s.outcome === "number" && s.outcome >= 500,
  HTTPCode_Target_4XX_Count: (s) =>
    typeof s.outcome === "number" && s.outcome >= 400 && s.outcome < 500,
  TargetConnectionErrorCount: (s) => s.outcome === "connection" || s.outcome === "timeout",
};

function metricNames(ref: MetricSourceRef | undefined): string[] | null {
  if (!ref || ref.kind === "unsupported") return null;
  if (ref.kind === "metric") return [ref.metricName];
  return Object.values(ref.metrics).map((m) => m.metricName);
}

const answered = (s: RequestSample) => typeof s.outcome === "number";

/**
 * How a load test judges each request for an objective, or why it cannot: ratio SLIs
 * over the ALB's `RequestCount` with bad = 5xx / connection-error counts, and latency
 * thresholds on `TargetResponseTime` (an answered request is good when its latency
 * meets `op value`, in seconds as the SLO writes it; a failed request is never good).
 */
function judgeOf(slo: SloDefinition, objective: Objective): Judge | string {
  const ind = slo.indicator;
  if (ind.type === "ratio") {
    const total = metricNames(ind.total);
    const bad = metricNames(ind.bad);
    if (total?.length !== 1 || total[0] !== "RequestCount" || !bad) {
      return "only ratio SLIs of bad ALB counts over RequestCount can be judged from a load test";
    }
    const judges = bad.map((m) => BAD_BY_METRIC[m]);
    if (judges.some((j) => j === undefined)) {
      return `bad metric ${bad.find((m) => !BAD_BY_METRIC[m])} is not something a client observes`;
    }
    return (s) => !judges.some((j) => (j as Judge)(s));
  }
  const names = metricNames(ind.metric);
  if (names?.[0] !== "TargetResponseTime" || objective.value === undefined) {
    return "only TargetResponseTime thresholds can be judged from a load test";
  }
  const limitMs = objective.value * 1000;
  const meets: Record<string, (ms: number) => boolean> = {
    lt: (ms) => ms < limitMs,
    lte: (ms) => ms <= limitMs,
    gt: (ms) => ms > limitMs,
    gte: (ms) => ms >= limitMs,
  };
  const op = meets[objective.op ?? "lte"] as (ms: number) => boolean;
  return (s) => answered(s) && op(s.latencyMs);
}

/** One objective judged over a load test. */
export interface LoadSloResult {
  readonly slo: string;
  readonly objective: string;
  readonly target: number;
  /** Good / total over the run, `null` without requests. */
  readonly sli: number | null;
  /** Error ratio over the error budget ratio: above 1 the run spends budget faster than allowed. */
  readonly burnRate: number | null;
  readonly met: boolean | null;
  /** Start (ms into the run) of the first slice that missed the objective, `null` if none did. */
  readonly breaksFromMs: number | null;
  /** Per slice: SLI, `null` below the SLO's low-traffic guard. */
  readonly intervals: ReadonlyArray<{
    readonly startMs: number;
    readonly sli: number | null;
    readonly burnRate: number | null;
  }>;
  /** Per second of the run: good and total requests (what the SLI is computed from). */
  readonly perSecond: { readonly good: number[]; readonly total: number[] };
  /** Set when this objective cannot be judged from client-side observations. */
  readonly skipped?: string;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Evaluates a service's SLOs on a load test's requests, with the same good/total and
 * burn-rate definitions as the engine (burn = error ratio / (1 − target)): the run's
 * SLI per objective, and from which slice the load breaks it ("breaks
 * payment-service-latency-p99 from minute 7"). A slice with fewer requests than the
 * SLO's `minEvents` is no data, never a breach.
 *
 * @example
 * const results = evaluateLoadSlos(slos, plan, samples, elapsedMs);
 * results.find((r) => r.breaksFromMs !== null)?.slo;
 */
export function evaluateLoadSlos(
  slos: readonly SloDefinition[],
  plan: Pick<LoadPlan, "intervals">,
  samples: readonly RequestSample[],
  elapsedMs: number,
): LoadSloResult[] {
  const seconds = Math.max(1, Math.ceil(elapsedMs / 1000));
  const slices = plan.intervals.filter((i) => i.startMs < elapsedMs);
  return slos.flatMap((slo) =>
    slo.objectives.map((objective, i) => {
      const budget = 1 - objective.target;
      const judge = judgeOf(slo, objective);
      const good = new Array<number>(seconds).fill(0);
      const total = new Array<number>(seconds).fill(0);
      const base = {
        slo: slo.name,
        objective: objective.name || `#${i + 1}`,
        target: objective.target,
      };
      if (typeof judge === "string") {
        return {
          ...base,
          sli: null,
          burnRate: null,
          met: null,
          breaksFromMs: null,
          intervals: [],
          perSecond: { good, total },
          skipped: judge,
        };
      }
      for (const s of samples) {
        const k = Math.min(seconds - 1, Math.max(0, Math.floor(s.atMs / 1000)));
        total[k] = (total[k] as number) + 1;
        if (judge(s)) good[k] = (good[k] as number) + 1;
      }
      const window = (fromMs: number, toMs: number) => {
        let g = 0;
        let t = 0;
        for (
          let k = Math.floor(fromMs / 1000);
          k < Math.min(seconds, Math.ceil(toMs / 1000));
          k++
        ) {
          g += good[k] as number;
          t += total[k] as number;
        }
        return { g, t };
      };
      const burn = (g: number, t: number) => (budget > 0 ? r4((1 - g / t) / budget) : null);
      const intervals = slices.map((sl) => {
        const { g, t } = window(sl.startMs, sl.startMs + sl.durationMs);
        if (t === 0 || t < slo.minEvents) return { startMs: sl.startMs, sli: null, burnRate: null };
        return { startMs: sl.startMs, sli: r4(g / t), burnRate: burn(g, t) };
      });
      const { g, t } = window(0, seconds * 1000);
      const sli = t > 0 ? r4(g / t) : null;
      const breach = intervals.find((iv) => iv.sli !== null && iv.sli < objective.target);
      return {
        ...base,
        sli,
        burnRate: t > 0 ? burn(g, t) : null,
        met: sli === null ? null : g / t >= objective.target,
        breaksFromMs: breach ? breach.startMs : null,
        intervals,
        perSecond: { good, total },
      };
    }),
  );
}
