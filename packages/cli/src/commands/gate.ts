import {
  decideDeploy,
  type GateDecision,
  type GateObjective,
  type GatePolicy,
  gateObjectivesFromReports,
} from "@slo/core/gate";
import type { MetricQuery, MetricsSource } from "@slo/core/metrics";
import { objectiveSloDimension, SLO_METRICS, sloMetric } from "@slo/core/monitoring";
import { computeSloReports } from "@slo/core/pipeline";
import type { SloDefinition } from "@slo/core/spec";
import { DATA_HELP, DATA_OPTIONS, flagChoice, flagNumber, parseCommand } from "../args.ts";
import { ensureAwsAccess } from "../aws-access.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { dataOptions, loadDefinitions, openLocalSource, parseSeed } from "../sources.ts";

const HELP = `Usage: slo gate --service NAME [paths..] [options]

Deploy gate: exits 0 when the service may deploy, 1 when its error budget or a firing
alert says no. Run it in the pipeline before "sst deploy".

  --service NAME        the service about to deploy (required)
  --min-budget F        keep this fraction of every budget in reserve (default 0)
  --block-on SEVERITY   page (default), ticket (either blocks) or none
  --no-data allow|block an SLO without data warns (default) or blocks
  --aws                 read what the scheduled jobs published (Custom/SLO
                        ErrorBudgetRemaining and AlertState, last 30 minutes)
  --stage NAME          with --aws: the stage whose metrics to read (the Stage
                        dimension); default $SLO_STAGE, no other default: a
                        wrong stage reads no data, which --no-data allow lets pass
  --source FILE         compute from an exported metrics file instead
  --at TIME             evaluation time, ISO-8601 (local sources)
  --seed N              seed of the embedded fleet (default 1)
  --json                one JSON object on the last line
${DATA_HELP}
Fails closed: an SLO whose report cannot be computed (impossible counts, a missing
metric) blocks the deploy whatever --no-data says, with the reason.
`;

/** Age beyond which a published datapoint no longer describes the service. */
const PUBLISHED_LOOKBACK_MS = 30 * 60_000;
const STEP_MS = 5 * 60_000;

function policyFrom(values: {
  "min-budget"?: string;
  "block-on"?: string;
  "no-data"?: string;
}): GatePolicy {
  const min = flagNumber(values["min-budget"], "--min-budget", 0, {
    min: 0,
    max: 1,
    expect: "a fraction from 0 to 1 (e.g. 0.1)",
  });
  const blockOn = flagChoice(values["block-on"], "--block-on", ["page", "ticket", "none"], "page");
  const noData = flagChoice(values["no-data"], "--no-data", ["allow", "block"], "allow");
  return { minBudgetRemaining: min, blockOn, noData };
}

/** The last value in a series, `null` when every step is empty. */
function latest(values: Float64Array | undefined): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i] as number;
    if (Number.isFinite(v)) return v;
  }
  return null;
}

/**
 * Reads the budget and alert state the jobs of `stage` published for these SLOs, so the
 * gate says what the pager says, for the price of two metrics per SLO objective.
 *
 * @example
 * const objectives = await publishedObjectives(slos, source, Date.now(), "production");
 */
export async function publishedObjectives(
  slos: readonly SloDefinition[],
  source: MetricsSource,
  nowMs: number,
  stage: string,
): Promise<GateObjective[]> {
  const queries: MetricQuery[] = [];
  const rows = slos.flatMap((slo) =>
    slo.objectives.map((o, i) => {
      const view = { service: slo.service, name: objectiveSloDimension(slo.name, o.name, i) };
      const metric = (
        metricName: typeof SLO_METRICS.errorBudgetRemaining | typeof SLO_METRICS.alertState,
      ) => ({
        kind: "metric" as const,
        ...sloMetric(view, metricName, stage),
        stat: "Maximum",
      });
      const id = `q${queries.length}`;
      queries.push({
        id: `${id}b`,
        query: { ...metric(SLO_METRICS.errorBudgetRemaining), stat: "Minimum" },
      });
      queries.push({ id: `${id}a`, query: metric(SLO_METRICS.alertState) });
      return { slo, objective: o.name, id };
    }),
  );
  const endMs = Math.floor(nowMs / STEP_MS) * STEP_MS;
  const series = new Map(
    (
      await source.fetch(queries, {
        startMs: endMs - PUBLISHED_LOOKBACK_MS,
        endMs,
        stepMs: STEP_MS,
      })
    ).map((s) => [s.id, s.values]),
  );
  return rows.map(({ slo, objective, id }) => {
    const state = latest(series.get(`${id}a`));
    return {
      slo: slo.name,
      objective,
      service: slo.service,
      budgetRemaining: latest(series.get(`${id}b`)),
      firing: state === 2 ? "page" : state === 1 ? "ticket" : null,
    };
  });
}

function render(service: string, decision: GateDecision): string {
  const lines = decision.verdicts.map(
    (v) =>
      `  ${v.verdict.toUpperCase().padEnd(5)} ${v.slo} (${v.objective})${v.reasons.length ? `: ${v.reasons.join("; ")}` : ""}`,
  );
  const head = decision.allowed ? `deploy of ${service}: ALLOWED` : `deploy of ${service}: BLOCKED`;
  return `${head}\n${lines.join("\n")}\n`;
}

/** `slo gate`: error-budget deploy gate over computed reports or published metrics. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: {
      service: { type: "string" },
      "min-budget": { type: "string" },
      "block-on": { type: "string" },
      "no-data": { type: "string" },
      aws: { type: "boolean", default: false },
      stage: { type: "string" },
      source: { type: "string" },
      at: { type: "string" },
      seed: { type: "string" },
      json: { type: "boolean", default: false },
      ...DATA_OPTIONS,
    },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  if (!values.service)
    throw new UsageError("--service is required: name the service about to deploy");
  if (values.aws && (values.source || values.at || values.seed)) {
    throw new UsageError("--source, --at and --seed apply to local sources, not --aws");
  }
  if (!values.aws && values.stage !== undefined) {
    throw new UsageError("--stage applies to --aws (the published metrics), not local sources");
  }
  const policy = policyFrom(values);
  const slos = await loadDefinitions(positionals, io.cwd, values.service);

  let objectives: GateObjective[];
  if (values.aws) {
    const { CloudWatchMetricsSource, createCloudWatchClient, passThroughDimensions } = await import(
      "@slo/aws"
    );
    const stage = (values.stage ?? process.env.SLO_STAGE ?? "").trim();
    if (stage === "") {
      throw new UsageError(
        "--aws needs the stage whose metrics to read: pass --stage NAME (e.g. --stage production) or set SLO_STAGE",
      );
    }
    const region = await ensureAwsAccess(process.env.AWS_REGION, {
      prefix: "--aws: ",
      alternative: ", or gate on a metrics file with --source",
    });
    const source = new CloudWatchMetricsSource({
      client: createCloudWatchClient({ region }),
      dimensions: passThroughDimensions,
    });
    objectives = await publishedObjectives(slos, source, Date.now(), stage);
  } else {
    const opened = await openLocalSource({
      cwd: io.cwd,
      seed: parseSeed(values.seed),
      ...dataOptions(values),
    });
    const { reports, failures } = await computeSloReports({ slos, ...opened, strictCounts: true });
    objectives = [
      ...gateObjectivesFromReports(reports),
      // A report that could not be computed (impossible counts, a missing metric) is
      // untrusted, not merely empty: the gate fails closed on it, whatever --no-data says.
      ...failures.map((f) => ({
        slo: f.slo,
        objective: "-",
        service: f.service,
        budgetRemaining: null,
        firing: null,
        untrusted: f.reason,
      })),
    ];
  }
  const decision = decideDeploy(objectives, policy);
  if (values.json) {
    io.stdout(`${JSON.stringify({ service: values.service, ...decision })}\n`);
  } else {
    io.stdout(render(values.service, decision));
  }
  return decision.allowed ? 0 : 1;
}
