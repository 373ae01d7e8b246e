/**
 * Cross-check of the generated Prometheus rules against this engine with `promtool
 * test rules`: for the four injected incidents of the embedded fleet, the last hours of
 * the services' counters go in as promtool input series, the engine is evaluated on the
 * very same data every 15 minutes, and its firing (or suppressed: Alertmanager's
 * inhibition, not PromQL's) tiers become the alerts promtool must see, labels and
 * annotations included. promtool fails the test on any alert too many or too few.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadFleetSlos } from "../../testing/fleet-slos.ts";
import { EMBEDDED_FLEET_END_MS, EmbeddedMetricsSource } from "../embedded/index.ts";
import type { MetricQuery, MetricSeries, MetricsSource, TimeRange } from "../metrics/index.ts";
import { planSloQueries } from "../metrics/index.ts";
import { computeSloReports } from "../pipeline/index.ts";
import type { CloudWatchMetricStat } from "../spec/model.ts";
import { formatLabels, prometheusSeries } from "./prometheus-names.ts";
import { prometheusRules } from "./prometheus-rules.ts";

const promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].find((p) => existsSync(p));
if (!promtool) {
  console.warn(
    'skipping the promtool cross-check: promtool not installed; run "apt-get update && apt-get install -y prometheus" (Debian, as root)',
  );
}

const MIN = 60_000;
const HOURS = 10;
const START = EMBEDDED_FLEET_END_MS - HOURS * 3_600_000;
/** fast burn, slow burn, latency regression, no traffic */
const SERVICES = ["payment-service", "order-service", "catalog-service", "reporting-service"];

/**
 * The embedded fleet's last hours only, nothing before START: the engine sees what
 * promtool sees. Each query is generated once and sliced per evaluation.
 */
class Truncated implements MetricsSource {
  readonly name = "embedded, last hours";
  readonly #inner = new EmbeddedMetricsSource({ seed: 1 });
  readonly #cache = new Map<string, Float64Array>();
  async fetch(queries: readonly MetricQuery[], range: TimeRange): Promise<MetricSeries[]> {
    const out: MetricSeries[] = [];
    for (const q of queries) {
      const key = JSON.stringify(q.query);
      let data = this.#cache.get(key);
      if (!data) {
        const window = { startMs: START, endMs: EMBEDDED_FLEET_END_MS, stepMs: MIN };
        const [s] = await this.#inner.fetch([q], window);
        data = s?.values ?? new Float64Array(0);
        this.#cache.set(key, data);
      }
      const steps = (range.endMs - range.startMs) / range.stepMs;
      const values = new Float64Array(steps).fill(Number.NaN);
      for (let i = 0; i < steps; i++) {
        const j = (range.startMs + i * range.stepMs - START) / MIN;
        if (j >= 0 && j < data.length) values[i] = data[j] as number;
      }
      out.push({ id: q.id, values, complete: true });
    }
    return out;
  }
}

describe.skipIf(!promtool)("generated rules under promtool test rules", () => {
  it("fire the alerts this engine reports, when it reports them, for the four incidents", async () => {
    const slos = (await loadFleetSlos()).filter((s) => SERVICES.includes(s.service));
    const source = new Truncated();
    // Input series: every counter the rules read, as Prometheus would have scraped it.
    const metrics = new Map<string, CloudWatchMetricStat>();
    for (const { query } of planSloQueries(slos, MIN).queries) {
      for (const m of query.kind === "metric" ? [query] : Object.values(query.metrics)) {
        metrics.set(JSON.stringify(prometheusSeries(m)), m);
      }
    }
    const list = [...metrics.values()];
    const range = { startMs: START, endMs: EMBEDDED_FLEET_END_MS, stepMs: MIN };
    const fetched = await source.fetch(
      list.map((m, i) => ({ id: `m${i}`, query: m })),
      range,
    );
    const inputSeries = list.map((m, i) => {
      const ref = prometheusSeries(m);
      let total = 0;
      const values = ["0"];
      for (const v of fetched[i]?.values ?? []) {
        if (Number.isNaN(v)) {
          values.push("_");
        } else {
          total += v;
          values.push(String(total));
        }
      }
      return { series: `${ref.name}${formatLabels(ref.labels)}`, values: values.join(" ") };
    });

    // Expected alerts: the engine on the same data, every 15 minutes.
    const { groups } = prometheusRules(slos);
    const alertRules = new Map(
      groups.flatMap((g) =>
        g.rules.filter((r) => r.alert).map((r) => [`${r.labels?.slo}|${r.labels?.tier}`, r]),
      ),
    );
    const tests: { eval_time: string; alertname: string; exp_alerts: unknown[] }[] = [];
    const seen = new Set<string>();
    for (let t = START + 15 * MIN; t <= EMBEDDED_FLEET_END_MS; t += 15 * MIN) {
      const { reports, failures } = await computeSloReports({
        slos,
        source,
        nowMs: t,
        stepMs: MIN,
      });
      expect(failures).toEqual([]);
      const exp_alerts = reports.flatMap((r) =>
        r.objectives.flatMap((o) =>
          o.alerts
            .filter((a) => a.state === "firing" || a.state === "suppressed")
            .map((a) => {
              const rule = alertRules.get(`${r.slo}|${a.tier}`);
              seen.add(`${r.slo}|${a.tier}`);
              return { exp_labels: rule?.labels, exp_annotations: rule?.annotations };
            }),
        ),
      );
      tests.push({
        eval_time: `${(t - START) / MIN}m`,
        alertname: "SLOErrorBudgetBurn",
        exp_alerts,
      });
    }
    // The incidents are in the data: a page and a latency alert at least...
    expect([...seen].some((k) => k.startsWith("payment-service-availability|page"))).toBe(true);
    expect([...seen].some((k) => k.startsWith("catalog-service-latency"))).toBe(true);
    // ...and it starts while the data runs: the page is not there at the first evaluation.
    const pages = (alerts: unknown[]) =>
      JSON.stringify(alerts).includes(
        '"slo":"payment-service-availability","service":"payment-service","objective":"availability","severity":"page","tier":"page-fast"',
      );
    expect(pages(tests[0]?.exp_alerts ?? [])).toBe(false);
    expect(pages(tests.at(-1)?.exp_alerts ?? [])).toBe(true);

    const dir = mkdtempSync(path.join(tmpdir(), "slo-promtool-test-"));
    try {
      writeFileSync(path.join(dir, "rules.yml"), stringify({ groups }, { lineWidth: 0 }));
      const testFile = path.join(dir, "test.yml");
      writeFileSync(
        testFile,
        stringify(
          {
            rule_files: ["rules.yml"],
            evaluation_interval: "1m",
            tests: [{ interval: "1m", input_series: inputSeries, alert_rule_test: tests }],
          },
          { lineWidth: 0 },
        ),
      );
      let out: string;
      try {
        out = execFileSync(promtool as string, ["test", "rules", testFile], {
          encoding: "utf8",
          cwd: dir,
          maxBuffer: 64 * 2 ** 20,
        });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        throw new Error(
          `promtool test rules failed:\n${(e.stdout ?? "") + (e.stderr ?? "")}`.slice(0, 6000),
        );
      }
      expect(out).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
