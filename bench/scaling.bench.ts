/**
 * The seed's claims measured on real traffic: each NAB load trace, sized so its peak
 * needs 20 tasks at 70 % target utilisation, replayed through static peak provisioning,
 * target tracking and predictive + target tracking.
 */
import { simulateScaling } from "../packages/core/src/simulate/index.ts";
import { LOAD_SERIES, loadNab } from "./nab.ts";

const PEAK_TASKS = 20;
const TARGET = 0.7;
console.log(
  `${"trace".padEnd(34)} ${"ramps".padStart(5)} ${"ttc tt".padStart(7)} ${"ttc pr".padStart(7)} ${"faster%".padStart(8)} ${"over tt".padStart(8)} ${"over pr".padStart(8)} ${"th static".padStart(10)} ${"th tt".padStart(8)} ${"th pr".padStart(8)} ${"cost%".padStart(6)} ${"matched%".padStart(9)}`,
);
for (const file of LOAD_SERIES) {
  const trace = loadNab(file);
  let peak = 0;
  for (const v of trace.values) if (Number.isFinite(v)) peak = Math.max(peak, v);
  const requestsPerTaskPerMinute = (peak * 60_000) / trace.stepMs / (PEAK_TASKS * TARGET);
  const t0 = performance.now();
  const r = simulateScaling(trace, { requestsPerTaskPerMinute, targetUtilisation: TARGET });
  const [st, tt, pr] = r.policies as [
    (typeof r.policies)[0],
    (typeof r.policies)[0],
    (typeof r.policies)[0],
  ];
  console.log(
    `${file.padEnd(34)} ${String(r.ramps).padStart(5)} ${tt.meanTimeToCapacityMin.toFixed(1).padStart(7)} ${pr.meanTimeToCapacityMin.toFixed(1).padStart(7)} ${r.fasterScalingPct.toFixed(1).padStart(8)} ${String(tt.overCapacityMinutes).padStart(8)} ${String(pr.overCapacityMinutes).padStart(8)} ${st.taskHours.toFixed(0).padStart(10)} ${tt.taskHours.toFixed(0).padStart(8)} ${pr.taskHours.toFixed(0).padStart(8)} ${r.costSavingPct.toFixed(1).padStart(6)} ${r.costSavingMatchedPct.toFixed(1).padStart(9)}   (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
console.log(
  "\nfaster% = 1 - ttc(predictive)/ttc(target tracking); cost% = 1 - task-hours(predictive)/task-hours(static peak);",
);
console.log(
  "matched% = the same against the smallest static fleet with no more over-capacity minutes than predictive.",
);
