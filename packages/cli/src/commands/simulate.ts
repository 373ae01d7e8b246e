import { SimulationError, simulateScaling } from "@slo/core/simulate";
import { flagMaxSteps, flagNumber, parseCommand } from "../args.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { readTrace, TRACE_HELP, TRACE_OPTIONS } from "./trace-file.ts";

const HELP = `Usage: slo simulate --trace FILE.csv [--peak-tasks 20] [--target 0.7] [--json] [--duplicates first]

Replays a load trace (requests per step) through static peak provisioning, target tracking
alone, target tracking + AWS predictive on observed load, and the deployed combination
(those plus target tracking on our 15-minute forecast), and compares SLO risk, time to
capacity and task-hours. The ratios compare the deployed combination.
  --peak-tasks  size the task so the trace's peak needs this many tasks at the target (default 20)
  --target      target-tracking utilisation, 0-1 (default 0.7)
  --json        end with one JSON line (per-policy figures, faster_scaling_pct, cost_saving_pct,
                task_hours_vs_target_tracking_pct, task_hours_vs_static_pct, under_capacity_minutes)
${TRACE_HELP}`;

const DAY_MS = 86_400_000;

const r1 = (v: number): number => Math.round(v * 10) / 10;
const signed = (v: number): string => `${v >= 0 ? "+" : ""}${r1(v)}`;

/** `slo simulate`: compare scaling policies on a load trace. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    options: {
      trace: { type: "string" },
      "peak-tasks": { type: "string" },
      target: { type: "string" },
      json: { type: "boolean" },
      ...TRACE_OPTIONS,
    },
  });
  if (!args) return 0;
  const { values } = args;
  if (!values.trace)
    throw new UsageError(
      "--trace FILE.csv is required (a timestamp,value load trace, requests per step)",
    );
  const peakTasks = flagNumber(values["peak-tasks"], "--peak-tasks", 20, {
    min: 0,
    exclusiveMin: true,
    expect: "a positive number",
  });
  const target = flagNumber(values.target, "--target", 0.7, {
    min: 0,
    exclusiveMin: true,
    max: 1,
    expect: "a fraction of capacity in (0, 1]",
  });
  const trace = await readTrace(values.trace, io, values);
  const spanMs = trace.values.length * trace.stepMs;
  if (spanMs <= DAY_MS) {
    throw new SimulationError(
      `${values.trace} covers ${(spanMs / 3_600_000).toFixed(1)} h (${trace.values.length} steps): the simulator needs more than a day of load, since predictive scaling forecasts from 24 h of history`,
    );
  }
  let peak = 0;
  for (const v of trace.values) if (Number.isFinite(v)) peak = Math.max(peak, v);
  if (!(peak > 0))
    throw new UsageError(
      `${values.trace} has no positive load: the simulator needs requests per step`,
    );
  const requestsPerTaskPerMinute = (peak * 60_000) / trace.stepMs / (peakTasks * target);
  const r = simulateScaling(trace, {
    requestsPerTaskPerMinute,
    targetUtilisation: target,
    maxSteps: flagMaxSteps(values["max-steps"]),
  });
  io.stdout(
    `${values.trace}: ${Math.round(r.minutes / 60)} h replayed, ${r.ramps} ramps, task = ${r1(requestsPerTaskPerMinute)} req/min at 100 %\n`,
  );
  io.stdout(
    `${"policy".padEnd(16)} ${"over-cap min".padStart(12)} ${"over-cap req".padStart(13)} ${"ttc min".padStart(8)} ${"task-hours".padStart(11)} ${"actions".padStart(8)} ${"peak".padStart(5)}\n`,
  );
  for (const p of r.policies) {
    io.stdout(
      `${p.policy.padEnd(16)} ${String(p.overCapacityMinutes).padStart(12)} ${String(Math.round(p.overCapacityRequests)).padStart(13)} ${String(r1(p.meanTimeToCapacityMin)).padStart(8)} ${String(r1(p.taskHours)).padStart(11)} ${String(p.scalingActions).padStart(8)} ${String(p.peakTasks).padStart(5)}\n`,
    );
  }
  io.stdout(
    `faster scaling (deployed vs target tracking): ${r1(r.fasterScalingPct)} %\n` +
      `task-hours (deployed) vs target tracking: ${signed(r.taskHoursVsTargetTrackingPct)} %, vs static peak: ${signed(r.taskHoursVsStaticPct)} %; ${r.underCapacityMinutes} minutes under capacity\n` +
      `cost saving (deployed vs static peak): ${r1(r.costSavingPct)} %; vs the smallest static fleet with no more over-capacity minutes (${r.matchedStaticTasks} tasks): ${r1(r.costSavingMatchedPct)} %\n`,
  );
  if (values.json) {
    io.stdout(
      `${JSON.stringify({
        trace: values.trace,
        minutes: r.minutes,
        ramps: r.ramps,
        requests_per_task_per_minute: r1(requestsPerTaskPerMinute),
        policies: Object.fromEntries(
          r.policies.map((p) => [
            p.policy,
            {
              over_capacity_minutes: p.overCapacityMinutes,
              over_capacity_requests: Math.round(p.overCapacityRequests),
              time_to_capacity_min: r1(p.meanTimeToCapacityMin),
              task_hours: r1(p.taskHours),
              scaling_actions: p.scalingActions,
              peak_tasks: p.peakTasks,
            },
          ]),
        ),
        faster_scaling_pct: r1(r.fasterScalingPct),
        cost_saving_pct: r1(r.costSavingPct),
        task_hours_vs_target_tracking_pct: r1(r.taskHoursVsTargetTrackingPct),
        task_hours_vs_static_pct: r1(r.taskHoursVsStaticPct),
        under_capacity_minutes: r.underCapacityMinutes,
        matched_static_tasks: r.matchedStaticTasks,
        cost_saving_matched_pct: r1(r.costSavingMatchedPct),
      })}\n`,
    );
  }
  return 0;
}
