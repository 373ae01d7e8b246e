import type { MetricPoint } from "@slo/aws";
import type { AlertNotification, FunctionName, JobHandler, JobResult } from "@slo/functions";
import { flagChoice, flagNumber, parseCommand } from "../args.ts";
import { ensureAwsAccess } from "../aws-access.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { parseAt, parseSeed } from "../sources.ts";

export { AwsAccessError } from "../aws-access.ts";

const NAMES: readonly FunctionName[] = ["slo-calculator", "burn-rate-evaluator", "predicted-load"];

const HELP = `Usage: slo invoke <${NAMES.join("|")}> (--local | --aws) [options]

Runs a scheduled Lambda handler through its real middy stack (Powertools Logger, Metrics,
Tracer) with a Lambda-like context, and shows what it published or would publish.

  --local        the embedded demo fleet, in-memory rollup and alert state; prints the
                 metrics and SNS messages it would publish (no AWS needed)
  --aws          the real AWS wiring (CloudWatch + ECS discovery, S3 rollup, SNS); needs
                 credentials and the function's environment: SLO_STAGE, ECS_CLUSTER_NAME,
                 SST_RESOURCE_RollupBucket='{"name":"..."}', SST_RESOURCE_AlertTopicPage /
                 SST_RESOURCE_AlertTopicTicket='{"arn":"..."}'; publishes with PutMetricData
  --dry-run      with --aws: read from AWS, print metrics and notifications instead of
                 publishing them, and leave the stored alert state untouched
  --at TIME      evaluation time, ISO-8601 (default: the end of the embedded data with
                 --local, now with --aws)
  --seed N       seed of the embedded fleet (--local)
  --slos DIR     OpenSLO folder (default slos; deployed functions read the definitions
                 compiled from it at deploy instead)
  --metrics P    with --local: the stage metrics profile, minimal (default) or full
                 (--aws takes it from SLO_METRICS, as the deployed function does)
  --times N      invoke N times in a row on the same stores (alerts notify once) [1]
  --timeout SEC  Lambda timeout the context counts down from [300]
  --verbose      also print the handler's Powertools log lines (stderr)
  --json         print one JSON object (results, points, notifications) as the last line
`;

interface Captured<T> {
  readonly value?: T;
  readonly error?: unknown;
  readonly text: string;
}

/**
 * Runs `fn` with `process.stdout.write` redirected into a string: Powertools writes EMF
 * and log lines straight to stdout, as Lambda expects, and the CLI renders them instead.
 */
async function captureStdout<T>(fn: () => Promise<T>): Promise<Captured<T>> {
  const original = process.stdout.write;
  const chunks: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    const value = await fn();
    return { value, text: chunks.join("") };
  } catch (error) {
    return { error, text: chunks.join("") };
  } finally {
    process.stdout.write = original;
  }
}

function positiveInt(raw: string, flag: string): number {
  return flagNumber(raw, flag, 1, { min: 1, integer: true, expect: "a positive integer" });
}

function summary(r: JobResult): string {
  const notes = r.notifications !== undefined ? `, ${r.notifications} notification(s)` : "";
  return `${r.function} (${r.stage}): ${r.succeeded.length} succeeded, ${r.failed.length} failed, ${r.published} datapoint(s)${notes}, evaluated at ${r.evaluatedAt}, ${r.durationMs} ms\n`;
}

/** `slo invoke`: runs one scheduled handler locally or against AWS, same code path as Lambda. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: {
      local: { type: "boolean", default: false },
      aws: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      at: { type: "string" },
      seed: { type: "string" },
      slos: { type: "string" },
      metrics: { type: "string" },
      times: { type: "string", default: "1" },
      timeout: { type: "string", default: "300" },
      verbose: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  const name = positionals[0] as FunctionName | undefined;
  if (name === undefined || !NAMES.includes(name)) {
    throw new UsageError(
      `name the function to run: one of ${NAMES.join(", ")}${name ? ` (got "${name}")` : ""}`,
    );
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  if (values.local === values.aws) throw new UsageError("choose exactly one of --local or --aws");
  if (values["dry-run"] && !values.aws)
    throw new UsageError("--dry-run applies to --aws only (--local never publishes)");
  if (values.aws && values.seed !== undefined) {
    throw new UsageError("--seed applies to --local only: --aws reads real CloudWatch data");
  }
  if (values.aws && values.metrics !== undefined) {
    throw new UsageError("--metrics applies to --local: --aws reads SLO_METRICS like the function");
  }
  const metricsProfile = flagChoice(values.metrics, "--metrics", ["minimal", "full"], "minimal");
  const atMs = parseAt(values.at);
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const times = positiveInt(values.times, "--times");
  const timeoutMs = positiveInt(values.timeout, "--timeout") * 1000;

  const fx = await import("@slo/functions");
  const logLevel = values.verbose ? "INFO" : "SILENT";
  let printed: string[] = [];
  const print = (text: string) => printed.push(text);
  let handler: JobHandler;
  let points: () => readonly MetricPoint[] = () => [];
  let notifications: () => readonly AlertNotification[] = () => [];
  if (values.local) {
    const deps = fx.localDeps(name, {
      print,
      cwd: io.cwd,
      logLevel,
      metricsProfile,
      ...(values.slos !== undefined ? { definitionsDir: values.slos } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(atMs !== undefined ? { nowMs: atMs } : {}),
    });
    handler = fx.localHandler(name, deps);
    points = () => deps.recorder.points;
    notifications = () => deps.notifications.sent;
  } else {
    const config = fx.loadFunctionConfig(name, { ...process.env, POWERTOOLS_LOG_LEVEL: logLevel });
    await ensureAwsAccess(config.region, { prefix: "--aws: ", alternative: ", or use --local" });
    const recorder = new fx.RecordingSink(print);
    const notifier = new fx.RecordingNotifier(config.stage, print);
    // Outside Lambda there is no compiled bundle: read the OpenSLO folder directly.
    const loadSlos = fx.cachedSloLoader(values.slos ?? "slos", io.cwd);
    handler = fx.awsHandler(
      name,
      config,
      values["dry-run"]
        ? { sink: recorder, notifier, readOnlyAlertState: true, loadSlos }
        : { sink: "put-metric-data", loadSlos },
    );
    points = () => recorder.points;
    notifications = () => notifier.sent;
  }

  const results: JobResult[] = [];
  const jobMetrics: MetricPoint[] = [];
  let failedRuns = 0;
  for (let i = 0; i < times; i++) {
    // EventBridge's scheduled-event shape; `time` fixes the evaluated instant like a real schedule.
    const timeMs = atMs ?? (values.aws ? Date.now() : undefined);
    const event = {
      source: "aws.events",
      "detail-type": "Scheduled Event",
      ...(timeMs !== undefined ? { time: new Date(timeMs).toISOString() } : {}),
      detail: {},
    };
    const captured = await captureStdout(() =>
      handler(event, fx.fakeLambdaContext(name, { timeoutMs })),
    );
    const emf = fx.parseEmfOutput(captured.text);
    jobMetrics.push(...emf);
    if (values.verbose) {
      for (const line of captured.text.split("\n"))
        if (line.trim() && !fx.parseEmfLine(line)) io.stderr(`${line}\n`);
    }
    const result =
      captured.value ??
      (captured.error instanceof fx.JobFailedError ? captured.error.result : undefined);
    if (result === undefined) throw captured.error;
    if (captured.error !== undefined || result.failed.length > 0) failedRuns++;
    results.push(result);
    if (!values.json) {
      if (times > 1) io.stdout(`-- run ${i + 1} of ${times}\n`);
      io.stdout(printed.join(""));
      for (const line of fx.formatPoints(emf)) io.stdout(`job metrics (EMF) ${line}\n`);
      io.stdout(summary(result));
      for (const f of result.failed) io.stderr(`failed: ${f.scope} ${f.name}: ${f.reason}\n`);
    }
    printed = [];
  }
  if (values.json) {
    io.stdout(
      `${JSON.stringify({
        function: name,
        mode: values.local ? "local" : values["dry-run"] ? "aws-dry-run" : "aws",
        runs: results,
        points: points(),
        notifications: notifications(),
        jobMetrics,
      })}\n`,
    );
  }
  return failedRuns > 0 ? 1 : 0;
}
