import type { FileSeries } from "../metrics/file-format.ts";
import { formatLabels, prometheusSeries } from "./prometheus-names.ts";

/**
 * Per-step CloudWatch counts as OpenMetrics text in chunks, the input of `promtool tsdb
 * create-blocks-from openmetrics`: each series becomes the counter Prometheus would
 * have scraped (see {@link prometheusSeries}), a cumulative value stamped at the end of
 * each step with data, starting from 0 at the first step's start. A step without data
 * writes no sample, so the series has no fresh sample in that step: the Prometheus
 * source reads that back as no data, not zero. Timestamps are epoch seconds.
 *
 * @throws PrometheusMappingError for a statistic that is not a count.
 * @example
 * for (const chunk of openMetricsChunks(series, 60_000)) await handle.write(chunk);
 */
export function* openMetricsChunks(
  series: readonly FileSeries[],
  stepMs: number,
): Generator<string> {
  const byFamily = new Map<string, { type: string; items: [string, FileSeries][] }>();
  for (const s of series) {
    const ref = prometheusSeries({ kind: "metric", ...s });
    const sample = `${ref.name}${formatLabels(ref.labels)} `;
    const entry = byFamily.get(ref.family) ?? { type: ref.type, items: [] };
    entry.items.push([sample, s]);
    byFamily.set(ref.family, entry);
  }
  for (const [family, { type, items }] of [...byFamily].sort(([a], [b]) => a.localeCompare(b))) {
    yield `# TYPE ${family} ${type}\n`;
    for (const [sample, s] of items) {
      const first = s.timesMs[0];
      if (first === undefined) continue;
      const parts: string[] = [`${sample}0 ${first / 1000}\n`];
      let total = 0;
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i] as number;
        if (Number.isNaN(v)) continue;
        total += v;
        parts.push(`${sample}${total} ${((s.timesMs[i] as number) + stepMs) / 1000}\n`);
      }
      yield parts.join("");
    }
  }
  yield "# EOF\n";
}
