import { type ErrorKind, errorKind, fileSystemProblem } from "@slo/core/errors";
import type { CliCommand, CliIo } from "./io.ts";

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
    summary: "write the embedded fleet's metrics as a CSV/JSON metrics file or OpenMetrics",
    load: () => import("./commands/export-metrics.ts"),
  },
  doctor: {
    summary: "check a deployed stage against its profile: services, scaling, jobs, alarms",
    load: () => import("./commands/doctor.ts"),
  },
  loadtest: {
    summary: "replay a traffic shape against an HTTP endpoint and judge its SLOs",
    load: () => import("./commands/loadtest.ts"),
  },
  export: {
    summary: "render the definitions for Prometheus, Application Signals or Grafana",
    load: () => import("./commands/export.ts"),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `Usage: slo <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun "slo <command> --help" for a command's options; add --debug for stack traces.\n`;
}

/** Exit code per error kind: 1 bad input (or AWS said no), 2 bad usage, 70 a bug (EX_SOFTWARE). */
const EXIT_CODE: Readonly<Record<ErrorKind, number>> = { input: 1, aws: 1, usage: 2, internal: 70 };

/**
 * What the user sees for an error: one line (a definitions error lists one problem per
 * line), the stack only under `--debug`. A raw Node file-system error that escaped a
 * command still names its path as an input error; anything else unnamed is a bug.
 */
function reportError(command: string, error: unknown, io: CliIo, debug: boolean): number {
  let kind = errorKind(error);
  let message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) kind = "usage";
  const fsPath = (error as { path?: unknown } | null)?.path;
  if (kind === "internal" && typeof fsPath === "string" && fileSystemProblem(error)) {
    kind = "input";
    message = `${fsPath}: ${fileSystemProblem(error)}`;
  }
  if (kind === "internal") {
    const name = error instanceof Error ? error.name : typeof error;
    const first = message.split("\n", 1)[0];
    io.stderr(
      `slo ${command}: internal error (a bug, please report it): ${name}: ${first}${debug ? "" : " (rerun with --debug for the stack)"}\n`,
    );
  } else if (kind === "usage") {
    io.stderr(`slo ${command}: ${message}\n`);
  } else {
    // The class name tells a script which failure it was (MetricsFileError, AwsCallError).
    const name = error instanceof Error && fsPath === undefined ? `${error.name}: ` : "";
    io.stderr(`slo ${command}: ${name}${message}\n`);
  }
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return EXIT_CODE[kind];
}

/**
 * Runs the `slo` command line and returns the process exit code. `--debug` (anywhere
 * before `--`) or `SLO_DEBUG=1` adds stack traces to errors.
 *
 * @example
 * const code = await runCli(["validate", "slos"], recordIo(process.cwd()).io);
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const end = argv.indexOf("--");
  const head = end < 0 ? argv : argv.slice(0, end);
  const debug = head.includes("--debug") || Boolean(process.env.SLO_DEBUG);
  const args = [...head.filter((a) => a !== "--debug"), ...(end < 0 ? [] : argv.slice(end))];
  const [name, ...rest] = args;
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
    return reportError(name, error, io, debug);
  }
}
