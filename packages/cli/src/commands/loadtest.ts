import {
  constantPlan,
  evaluateLoadSlos,
  type LoadPlan,
  type LoadSloResult,
  replayPlan,
  summariseRun,
} from "@slo/core/loadtest";
import type { SloDefinition } from "@slo/core/spec";
import { formatDuration } from "@slo/core/time";
import { flagDuration, flagNumber, parseCommand } from "../args.ts";
import { ensureAwsAccess } from "../aws-access.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { type DriveResult, drivePlan } from "../loadtest/driver.ts";
import { loadDefinitions } from "../sources.ts";
import { readTrace, TRACE_HELP, TRACE_OPTIONS } from "./trace-file.ts";

/** Longest run: a load test that outlives an afternoon is an outage, not a test. */
export const MAX_DURATION_MS = 2 * 3_600_000;
/** Highest rate: above this one autocannon process no longer keeps up on a small host (bench:loadtest). */
export const MAX_RPS = 10_000;
const ROW_MS = 5000;

const HELP = `Usage: slo loadtest --url URL (--trace FILE | --rps N) [options] [slo paths..]

Offers load shaped like real traffic to one HTTP(S) endpoint (autocannon), then
reports per slice and in total: offered vs achieved requests/s, p50/p95/p99 latency,
errors by class (4xx, 5xx, timeout, connection), and the service's SLOs judged on the
recorded requests ("breaks payment-service-latency-p99 from 0:35").

  --url URL         the endpoint to load, http:// or https:// only (required)
  --trace FILE      a "timestamp,value" load trace (as slo forecast reads) replayed
                    compressed in time, scaled so its busiest slice offers --max-rps
  --rps N           a constant rate instead of a trace (1..${MAX_RPS})
  --duration D      how long to run (default 10m, at most ${formatDuration(MAX_DURATION_MS)})
  --speedup X       trace time per run time (default 60: an hour of trace per minute)
  --max-rps N       the trace's peak rate (default 100, at most ${MAX_RPS})
  --service NAME    whose SLOs to judge (default: the "service" the target's /health
                    reports, as the sample service does); SLOs from [paths] or slos/
  --cluster NAME    also sample the service's running/desired ECS tasks at every slice
                    (the stage's "cluster" output; needs AWS credentials and --service)
  --json            print one JSON document (intervals, total, slo) instead of tables
${TRACE_HELP}
Ctrl-C stops the load at once and prints the report of what ran (exit 130).
Only run it against services you own: it is a load generator.
`;

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new UsageError(`--url "${raw}" is not a URL: write it as http://host:port/path`, {
      cause: error,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `--url must be http:// or https://, got ${url.protocol}// (a load test speaks HTTP only)`,
    );
  }
  return url;
}

/** The service a target says it is, from its health endpoint (`{"service": ...}`), if any. */
async function serviceOf(url: URL): Promise<string | undefined> {
  try {
    const res = await fetch(new URL("/health", url), { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { service?: unknown };
    return typeof body.service === "string" ? body.service : undefined;
  } catch {
    return undefined;
  }
}

interface TaskSample {
  readonly slice: number;
  readonly atMs: number;
  readonly running: number;
  readonly desired: number;
  readonly pending: number;
}

/** What a test hands in instead of the environment's clients. */
export interface LoadtestDeps {
  readonly readTasks?: (
    cluster: string,
    service: string,
  ) => Promise<{ running: number; desired: number; pending: number }>;
  /** Aborts the run as Ctrl-C does (tests); the binary wires SIGINT to it. */
  readonly signal?: AbortSignal;
}

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};
const cell = (v: number | null) => (v === null ? "-" : String(v));

function renderText(
  result: DriveResult,
  summary: ReturnType<typeof summariseRun>,
  slo: readonly LoadSloResult[],
  tasks: readonly TaskSample[],
): string {
  const head = `${"slice".padEnd(6)}${"offered".padStart(9)}${"achieved".padStart(9)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}  errors${tasks.length ? "  tasks run/des" : ""}`;
  const rows = summary.intervals.map((r, k) => {
    const e = r.errors;
    const errs = `4xx ${e["4xx"]} 5xx ${e["5xx"]} t/o ${e.timeout} conn ${e.connection}`;
    const t = tasks.find((x) => x.slice === k);
    return `${clock(r.startMs).padEnd(6)}${String(r.offeredRps).padStart(9)}${String(r.achievedRps).padStart(9)}${cell(r.p50Ms).padStart(9)}${cell(r.p95Ms).padStart(9)}${cell(r.p99Ms).padStart(9)}  ${errs}${t ? `  ${t.running}/${t.desired}` : ""}`;
  });
  const t = summary.total;
  const lines = [
    head,
    ...rows,
    `total: ${t.requests} requests in ${clock(t.durationMs)}, offered ${t.offeredRps}/s, achieved ${t.achievedRps}/s, p50 ${cell(t.p50Ms)} ms, p95 ${cell(t.p95Ms)} ms, p99 ${cell(t.p99Ms)} ms${result.interrupted ? " (interrupted: partial report)" : ""}`,
    ...slo.map((r) =>
      r.skipped
        ? `  SKIP  ${r.slo}: ${r.skipped}`
        : `  ${r.met === false || r.breaksFromMs !== null ? "BREAK" : r.met ? "OK   " : "NODATA"} ${r.slo} (${r.objective}): SLI ${cell(r.sli)} vs ${r.target}, burn ${cell(r.burnRate)}x${r.breaksFromMs !== null ? `; this load breaks it from ${clock(r.breaksFromMs)}` : ""}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * `slo loadtest` with injectable dependencies: the binary calls `run`, tests call this.
 *
 * @example
 * const code = await runWith(["--url", svc.url, "--rps", "50", "--duration", "5s", "--json"], io, {});
 */
export async function runWith(argv: string[], io: CliIo, deps: LoadtestDeps): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: {
      url: { type: "string" },
      trace: { type: "string" },
      rps: { type: "string" },
      duration: { type: "string" },
      speedup: { type: "string" },
      "max-rps": { type: "string" },
      service: { type: "string" },
      cluster: { type: "string" },
      json: { type: "boolean", default: false },
      ...TRACE_OPTIONS,
    },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  if (!values.url) throw new UsageError("--url is required: the http(s) endpoint to load");
  const url = checkUrl(values.url);
  if ((values.trace === undefined) === (values.rps === undefined)) {
    throw new UsageError(
      "give exactly one of --trace FILE (a traffic shape) or --rps N (a constant rate)",
    );
  }
  const durationMs = flagDuration(values.duration, "--duration", 600_000);
  if (durationMs < 1000 || durationMs > MAX_DURATION_MS) {
    throw new UsageError(
      `--duration must be from 1s to ${formatDuration(MAX_DURATION_MS)}, got "${values.duration}"`,
    );
  }
  if (
    values.rps !== undefined &&
    (values.speedup !== undefined || values["max-rps"] !== undefined)
  ) {
    throw new UsageError(
      "--speedup and --max-rps shape a --trace; with --rps the rate is constant",
    );
  }
  if (values.cluster !== undefined && values.service === undefined) {
    throw new UsageError("--cluster samples one service's tasks: name it with --service");
  }
  const rateRule = { min: 1, max: MAX_RPS, expect: `a rate from 1 to ${MAX_RPS} requests/s` };
  let plan: LoadPlan;
  if (values.trace !== undefined) {
    const trace = await readTrace(values.trace, io, values);
    plan = replayPlan(trace, {
      durationMs,
      speedup: flagNumber(values.speedup, "--speedup", 60, {
        min: 0,
        exclusiveMin: true,
        max: 1e6,
        expect: "a positive factor such as 60 (an hour of trace per minute)",
      }),
      maxRps: flagNumber(values["max-rps"], "--max-rps", 100, rateRule),
      maxSliceMs: ROW_MS,
    });
  } else {
    plan = constantPlan({
      rps: flagNumber(values.rps, "--rps", 1, rateRule),
      durationMs,
      intervalMs: ROW_MS,
    });
  }

  const service = values.service ?? (await serviceOf(url));
  let slos: SloDefinition[] = [];
  let sloNote: string | undefined;
  if (values.service) {
    slos = await loadDefinitions(positionals, io.cwd, values.service);
  } else if (service) {
    // A name the target reported: having no SLOs is worth a note, not a failed run.
    try {
      slos = await loadDefinitions(positionals, io.cwd, service);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      sloNote = `the target reports service "${service}", which has no SLO in ${positionals.join(", ") || "slos/"}: pass --service NAME`;
    }
  } else {
    sloNote =
      "the target did not say which service it is (/health): pass --service NAME to judge its SLOs";
  }

  let readTasks = deps.readTasks;
  if (values.cluster && !readTasks) {
    const aws = await import("@slo/aws");
    const ecs = aws.createEcsClient({
      region: await ensureAwsAccess(process.env.AWS_REGION, { prefix: "--cluster: " }),
    });
    readTasks = (cluster, svc) => aws.readTaskCounts(ecs, cluster, svc);
  }
  const tasks: TaskSample[] = [];
  const pending: Promise<void>[] = [];
  const onSlice =
    values.cluster && readTasks && service
      ? (slice: number, atMs: number) => {
          const read = readTasks;
          pending.push(
            read(values.cluster as string, service).then((c) => {
              tasks.push({ slice, atMs: Math.round(atMs), ...c });
            }),
          );
        }
      : undefined;

  const result = await drivePlan(url.href, plan, {
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(onSlice ? { onSlice } : {}),
  });
  // A failed task read fails the run's report: a silent gap would read as "no scaling".
  await Promise.all(pending);
  tasks.sort((a, b) => a.slice - b.slice);
  const summary = summariseRun(plan, result.samples, result.elapsedMs);
  const slo = evaluateLoadSlos(slos, plan, result.samples, result.elapsedMs);
  if (values.json) {
    const doc = {
      url: url.href,
      ...(service ? { service } : {}),
      plan: {
        durationMs: plan.durationMs,
        speedup: plan.speedup,
        peakRps: plan.peakRps,
        slices: plan.intervals.length,
      },
      interrupted: result.interrupted,
      elapsedMs: Math.round(result.elapsedMs),
      intervals: summary.intervals.map((r, k) => {
        const t = tasks.find((x) => x.slice === k);
        return t
          ? { ...r, tasks: { running: t.running, desired: t.desired, pending: t.pending } }
          : r;
      }),
      total: summary.total,
      slo: { ...(sloNote ? { note: sloNote } : {}), objectives: slo },
    };
    io.stdout(`${JSON.stringify(doc)}\n`);
  } else {
    io.stdout(renderText(result, summary, slo, tasks));
    if (sloNote) io.stdout(`  (${sloNote})\n`);
  }
  return result.interrupted ? 130 : 0;
}

/** `slo loadtest`: replay a traffic shape against an endpoint and judge its SLOs. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  try {
    return await runWith(argv, io, { signal: controller.signal });
  } finally {
    process.off("SIGINT", stop);
  }
}
