import type { CliCommand, CliIo } from "./io.ts";
import { UsageError } from "./io.ts";

/**
 * Every command, in help order. Modules load on demand so `slo validate` does not pay
 * for the AWS SDK or the forecasting code.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  report: {
    summary: "SLIs, error budgets, burn rates and alerts per SLO (table, --json, --html)",
    load: () => import("./commands/report.ts"),
  },
  validate: {
    summary: "check OpenSLO definitions (file:line errors)",
    load: () => import("./commands/validate.ts"),
  },
  "export-openslo": {
    summary: "write definitions as canonical OpenSLO v1 YAML",
    load: () => import("./commands/export-openslo.ts"),
  },
  "import-openslo": {
    summary: "normalise OpenSLO from other tools into per-service files",
    load: () => import("./commands/import-openslo.ts"),
  },
  gate: {
    summary: "deploy gate: exit 1 when a service's error budget or a firing page says no",
    load: () => import("./commands/gate.ts"),
  },
  rollback: {
    summary: "roll an ECS service back to an earlier task definition revision",
    load: () => import("./commands/rollback.ts"),
  },
  scaling: {
    summary: "suspend, resume or show a service's Application Auto Scaling",
    load: () => import("./commands/scaling.ts"),
  },
  forecast: {
    summary: "forecast a load trace, or backtest the forecaster on it",
    load: () => import("./commands/forecast.ts"),
  },
  simulate: {
    summary: "replay a load trace through static, reactive and predictive scaling",
    load: () => import("./commands/simulate.ts"),
  },
  invoke: {
    summary: "run a scheduled Lambda handler locally (embedded fleet) or against AWS",
    load: () => import("./commands/invoke.ts"),
  },
  "export-metrics": {
    summary: "write the embedded fleet's metrics as a CSV/JSON metrics file",
    load: () => import("./commands/export-metrics.ts"),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `Usage: slo <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun "slo <command> --help" for a command's options.\n`;
}

/** Runs the `slo` command line and returns the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(help());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`slo: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (error) {
    // node:util parseArgs rejects unknown flags and missing values with ERR_PARSE_ARGS_*:
    // bad usage, for every command alike.
    const parseError = (error as { code?: unknown }).code;
    if (
      error instanceof UsageError ||
      (typeof parseError === "string" && parseError.startsWith("ERR_PARSE_ARGS"))
    ) {
      io.stderr(`slo ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(`slo ${name}: ${message}\n`);
    if (process.env.SLO_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
    return 1;
  }
}
