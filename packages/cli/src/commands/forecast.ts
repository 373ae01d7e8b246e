import { backtest, forecastLoad } from "@slo/core/forecast";
import { checkSteps } from "@slo/core/limits";
import { formatDuration } from "@slo/core/time";
import { flagDuration, flagMaxSteps, parseCommand } from "../args.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { readTrace, TRACE_HELP, TRACE_OPTIONS } from "./trace-file.ts";

const HELP = `Usage: slo forecast --input FILE.csv [--horizon 1h] [--backtest] [--json] [--duplicates first]

Forecasts a load trace ("timestamp,value" CSV, any fixed step) with 80 % and 95 % intervals.
  --horizon     how far ahead (default 1h)
  --backtest    rolling-origin backtest instead: 7 days training, an origin every 6 hours;
                reports mase (vs the 1-day seasonal naive), smape and 80 % coverage
  --json        end with one JSON line
${TRACE_HELP}`;

function fixed(v: number, d = 3): number {
  return Number.isFinite(v) ? Number(v.toFixed(d)) : v;
}

/** `slo forecast`: forecast or backtest a load trace. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    options: {
      input: { type: "string" },
      horizon: { type: "string" },
      backtest: { type: "boolean" },
      json: { type: "boolean" },
      ...TRACE_OPTIONS,
    },
  });
  if (!args) return 0;
  const { values } = args;
  if (!values.input)
    throw new UsageError("--input FILE.csv is required (a timestamp,value load trace)");
  const horizonMs = flagDuration(values.horizon, "--horizon", 3_600_000);
  const trace = await readTrace(values.input, io, values);
  // The forecast holds a few arrays of horizon / step values: refuse before allocating.
  checkSteps(
    `--horizon ${values.horizon} at the trace's ${formatDuration(trace.stepMs)} step`,
    Math.ceil(horizonMs / trace.stepMs),
    flagMaxSteps(values["max-steps"]),
  );
  const step = formatDuration(trace.stepMs);
  if (values.backtest) {
    const r = backtest(trace, { horizonMs });
    const lv = backtest(trace, { horizonMs, models: ["last-value"] });
    io.stdout(
      `${values.input}: step ${step}, ${trace.values.length} steps (${trace.missing} missing), horizon ${formatDuration(horizonMs)}, ${r.origins} origins\n` +
        `  mase ${fixed(r.mase)} (last value ${fixed(lv.mase)}, seasonal naive 1.000)  smape ${fixed(r.smape, 2)} %  coverage80 ${fixed(r.coverage80)}  coverage95 ${fixed(r.coverage95)}\n` +
        `  model ${r.model} (most chosen)  ${fixed(r.msPerFit, 2)} ms per fit\n`,
    );
    if (values.json) {
      io.stdout(
        `${JSON.stringify({
          input: values.input,
          horizon: formatDuration(horizonMs),
          mase: fixed(r.mase, 4),
          smape: fixed(r.smape, 3),
          coverage80: fixed(r.coverage80, 4),
          coverage95: fixed(r.coverage95, 4),
          model: r.model,
          chosen: r.chosen,
          origins: r.origins,
          points: r.points,
          ms_per_fit: fixed(r.msPerFit, 3),
          baseline_last_value_mase: fixed(lv.mase, 4),
        })}\n`,
      );
    }
    return 0;
  }
  const f = forecastLoad(trace, { horizonMs });
  const rows = Array.from(f.mean, (m, j) => ({
    time: new Date(f.startMs + j * f.stepMs).toISOString(),
    mean: fixed(m),
    lower80: fixed(f.lower80[j] as number),
    upper80: fixed(f.upper80[j] as number),
    lower95: fixed(f.lower95[j] as number),
    upper95: fixed(f.upper95[j] as number),
  }));
  io.stdout(
    `${values.input}: step ${step}, model ${f.model}, seasons ${f.seasons.map((s) => formatDuration(s * trace.stepMs)).join(", ") || "none"}\n`,
  );
  io.stdout(
    `${"time".padEnd(24)} ${"forecast".padStart(12)} ${"80 %".padStart(25)} ${"95 %".padStart(25)}\n`,
  );
  for (const r of rows) {
    io.stdout(
      `${r.time.padEnd(24)} ${String(r.mean).padStart(12)} ${`${r.lower80} - ${r.upper80}`.padStart(25)} ${`${r.lower95} - ${r.upper95}`.padStart(25)}\n`,
    );
  }
  if (values.json)
    io.stdout(
      `${JSON.stringify({ input: values.input, horizon: formatDuration(horizonMs), model: f.model, forecast: rows })}\n`,
    );
  return 0;
}
