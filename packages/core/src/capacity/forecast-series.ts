import { CapacityError } from "./errors.ts";
import type { ForecastInput, PredictedLoadPoint } from "./plan.ts";

/**
 * How the forecast policy is fed. The predicted-load job runs every `everyMs` and
 * publishes one `PredictedLoad` point per minute until its next run: target tracking
 * alarms read 1-minute datapoints, and a single point per run would leave them without
 * data 14 minutes in 15. Each minute carries the busiest forecast in the `leadMs` after
 * it, so the alarm (three 1-minute datapoints) and task start-up (1-2 minutes) finish
 * before the load they are for arrives.
 */
export const FORECAST_FEED = {
  everyMs: 15 * 60_000,
  leadMs: 5 * 60_000,
} as const;

/**
 * The forecast horizon one run needs: from the end of its history (`historyEndMs`) to the
 * lead of the last minute it publishes (its minutes start at `fromMs`).
 *
 * @example
 * forecastFeedHorizonMs(); // 1_200_000: 15 minutes plus a 5-minute lead
 */
export function forecastFeedHorizonMs(
  feed: Partial<typeof FORECAST_FEED> = {},
  historyEndMs = 0,
  fromMs = historyEndMs,
): number {
  return (
    Math.max(0, fromMs - historyEndMs) +
    (feed.everyMs ?? FORECAST_FEED.everyMs) +
    (feed.leadMs ?? FORECAST_FEED.leadMs)
  );
}

/**
 * The `PredictedLoad` points one run publishes: for each minute in
 * [`fromMs`, `fromMs + everyMs`), the highest forecast rate (requests per minute) over
 * the forecast steps that overlap [minute, minute + `leadMs`]. Minutes the forecast does
 * not reach are left out, never padded. The job and the simulator both call this, so the
 * simulator replays the series the policy actually sees.
 *
 * @throws CapacityError when `fromMs` is not on a whole minute or the feed times are negative.
 * @example
 * const f = forecastLoad(history, { horizonMs: forecastFeedHorizonMs() });
 * predictedLoadSeries(f, { fromMs: f.startMs }); // 15 points, one per minute
 */
export function predictedLoadSeries(
  forecast: ForecastInput,
  options: { readonly fromMs: number; readonly everyMs?: number; readonly leadMs?: number },
): PredictedLoadPoint[] {
  const everyMs = options.everyMs ?? FORECAST_FEED.everyMs;
  const leadMs = options.leadMs ?? FORECAST_FEED.leadMs;
  if (options.fromMs % 60_000 !== 0)
    throw new CapacityError(
      `fromMs ${options.fromMs} is not on a whole minute: CloudWatch stores 1-minute points at minute boundaries`,
    );
  if (!(everyMs >= 60_000 && leadMs >= 0))
    throw new CapacityError(
      `everyMs ${everyMs} and leadMs ${leadMs}: give everyMs >= 60000 and leadMs >= 0`,
    );
  const { startMs, stepMs, mean } = forecast;
  const perMinute = 60_000 / stepMs;
  const out: PredictedLoadPoint[] = [];
  for (let m = options.fromMs; m < options.fromMs + everyMs; m += 60_000) {
    const first = Math.max(0, Math.floor((m - startMs) / stepMs));
    const last = Math.min(mean.length - 1, Math.floor((m + leadMs - startMs) / stepMs));
    let peak = Number.NaN;
    for (let k = first; k <= last; k++) {
      const v = mean[k] as number;
      if (Number.isFinite(v)) peak = Number.isNaN(peak) ? v : Math.max(peak, v);
    }
    if (Number.isFinite(peak) && m >= startMs)
      out.push({ timestampMs: m, requestsPerMinute: Math.max(0, peak) * perMinute });
  }
  return out;
}
