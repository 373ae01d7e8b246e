/**
 * Forecast accuracy and speed on the real NAB load series: rolling-origin backtests
 * (7 days training, an origin every 6 hours) at 1 h and 24 h, the automatic model
 * against the last-value and 1-day seasonal-naive baselines, then the time of one fit +
 * forecast on 14 days of 5-minute data.
 */
import { backtest, forecastLoad } from "../packages/core/src/forecast/index.ts";
import { LOAD_SERIES, loadNab } from "./nab.ts";

const HORIZONS = [
  { label: "1h", ms: 3_600_000, target: 0.6 },
  { label: "24h", ms: 86_400_000, target: 0.9 },
];
const geo = (xs: number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const f3 = (v: number): string => v.toFixed(3);

for (const h of HORIZONS) {
  console.log(`\n=== horizon ${h.label} ===`);
  console.log(
    `${"series".padEnd(34)} ${"mase".padStart(6)} ${"last".padStart(6)} ${"snaive".padStart(6)} ${"smape%".padStart(7)} ${"cov80".padStart(6)} ${"ms/fit".padStart(7)}  model (most chosen)`,
  );
  const auto: number[] = [];
  const last: number[] = [];
  let worst = { name: "", mase: 0 };
  for (const file of LOAD_SERIES) {
    const trace = loadNab(file);
    const r = backtest(trace, { horizonMs: h.ms });
    const lv = backtest(trace, { horizonMs: h.ms, models: ["last-value"] });
    const sn = backtest(trace, { horizonMs: h.ms, models: ["seasonal-naive-day"] });
    auto.push(r.mase);
    last.push(lv.mase);
    if (r.mase > worst.mase) worst = { name: file, mase: r.mase };
    console.log(
      `${file.padEnd(34)} ${f3(r.mase).padStart(6)} ${f3(lv.mase).padStart(6)} ${f3(sn.mase).padStart(6)} ${r.smape.toFixed(1).padStart(7)} ${r.coverage80.toFixed(2).padStart(6)} ${r.msPerFit.toFixed(2).padStart(7)}  ${r.model}`,
    );
  }
  const g = geo(auto);
  console.log(
    `geometric-mean mase: auto ${f3(g)} (target <= ${h.target}: ${g <= h.target ? "met" : "MISSED"}), last value ${f3(geo(last))}, seasonal naive 1.000`,
  );
  console.log(
    `worst series: ${worst.name} ${f3(worst.mase)} (limit 1.2: ${worst.mase <= 1.2 ? "met" : "MISSED"})`,
  );
}

// Speed: one fit + forecast on exactly 14 days of 5-minute data, after warm-up.
const elb = loadNab("elb_request_count_8c0756.csv");
const twitter = loadNab("Twitter_volume_AMZN.csv");
console.log("\n=== fit + forecast time, 14 days of 5-minute data (4032 points) ===");
for (const [name, trace] of [
  ["elb_request_count_8c0756", elb],
  ["Twitter_volume_AMZN", twitter],
] as const) {
  const values = trace.values.subarray(trace.values.length - 4032);
  const series = { startMs: trace.startMs, stepMs: trace.stepMs, values };
  for (const h of HORIZONS) {
    for (let i = 0; i < 20; i++) forecastLoad(series, { horizonMs: h.ms });
    const reps = 100;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) forecastLoad(series, { horizonMs: h.ms });
    const ms = (performance.now() - t0) / reps;
    console.log(
      `${name.padEnd(26)} horizon ${h.label.padEnd(4)} ${ms.toFixed(2)} ms per fit+forecast (target < 10 ms)`,
    );
  }
}
