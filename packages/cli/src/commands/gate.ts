import type { S3Client } from "@aws-sdk/client-s3";
import {
  decideDeploy,
  type GateDecision,
  type GateObjective,
  type GatePolicy,
  gateObjectivesFromReports,
  untrustedObjectives,
} from "@slo/core/gate";
import { computeSloReports } from "@slo/core/pipeline";
import type { SloDefinition } from "@slo/core/spec";
import {
  gateObjectivesFromStageReport,
  STAGE_REPORT_KEY,
  STAGE_REPORT_MAX_AGE_STEPS,
} from "@slo/core/stage-report";
import { DATA_HELP, DATA_OPTIONS, flagChoice, flagNumber, parseCommand } from "../args.ts";
import { ensureAwsAccess } from "../aws-access.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { dataOptions, loadDefinitions, openLocalSource, parseSeed } from "../sources.ts";
import { bucketHelp, readStageReport, reportBucket } from "../stage-report.ts";

const HELP = `Usage: slo gate --service NAME [paths..] [options]

Deploy gate: exits 0 when the service may deploy, 1 when its error budget or a firing
alert says no. Run it in the pipeline before "sst deploy".

  --service NAME        the service about to deploy (required)
  --min-budget F        keep this fraction of every budget in reserve (default 0)
  --block-on SEVERITY   page (default), ticket (either blocks) or none
  --no-data allow|block an SLO without data warns (default) or blocks
  --aws                 read the stage report the burn-rate evaluator writes each
                        run (${STAGE_REPORT_KEY} in the rollup bucket, one GET):
                        budgets and firing tiers as the pager last judged them
  --stage NAME          with --aws: the stage about to deploy (default $SLO_STAGE);
                        the report must be this stage's and at most
                        ${STAGE_REPORT_MAX_AGE_STEPS} evaluation steps old, or every SLO blocks
${bucketHelp(24)}
  --source FILE         compute from an exported metrics file instead
  --at TIME             evaluation time, ISO-8601 (local sources)
  --seed N              seed of the embedded fleet (default 1)
  --json                one JSON object on the last line
${DATA_HELP}
Fails closed: an SLO whose report cannot be computed (impossible counts, a missing
metric), a stage report that is missing, stale, from another stage or lists the SLO
as failed, blocks the deploy whatever --no-data says, with the reason. A report that
cannot be read (access denied, throttled, not a report) exits 1 without a decision.
`;

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

/**
 * The gate's view of `slos` from the stage report in `bucket`: the objectives as the
 * burn-rate evaluator last judged them (so the gate says what the pager says), or every
 * objective untrusted when no run has written a report yet. One S3 GET whatever the
 * fleet's size or metrics profile.
 *
 * @throws StageReportReadError when S3 refuses or fails the read, StageReportError when
 *   the object is not a report this CLI reads: never a decision on data it could not read.
 * @example
 * const objectives = await reportObjectives(slos, { s3, bucket, stage: "production", nowMs: Date.now() });
 */
export async function reportObjectives(
  slos: readonly SloDefinition[],
  input: { s3: S3Client; bucket: string; stage: string; nowMs: number },
): Promise<GateObjective[]> {
  const { report, location } = await readStageReport(input.s3, input.bucket);
  if (report === undefined) {
    return untrustedObjectives(
      slos,
      `no stage report at ${location}: the burn-rate evaluator has not written one yet: deploy the stage, wait one run, see slo doctor`,
    );
  }
  return gateObjectivesFromStageReport(report, slos, input.stage, input.nowMs);
}

function render(service: string, decision: GateDecision): string {
  const lines = decision.verdicts.map(
    (v) =>
      `  ${v.verdict.toUpperCase().padEnd(5)} ${v.slo} (${v.objective})${v.reasons.length ? `: ${v.reasons.join("; ")}` : ""}`,
  );
  const head = decision.allowed ? `deploy of ${service}: ALLOWED` : `deploy of ${service}: BLOCKED`;
  return `${head}\n${lines.join("\n")}\n`;
}

/** What a test hands in instead of the environment's client and clock. */
export interface GateDeps {
  readonly s3?: S3Client;
  readonly nowMs?: number;
}

/**
 * `slo gate` with an injectable S3 client and clock: the binary calls `run`, tests and
 * the permission contract call this.
 *
 * @example
 * const code = await runWith(["--service", "x", "--aws", "--stage", "dev", "--bucket", "b"], io, { s3 });
 */
export async function runWith(argv: string[], io: CliIo, deps: GateDeps): Promise<number> {
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
      bucket: { type: "string" },
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
  for (const flag of ["stage", "bucket"] as const) {
    if (!values.aws && values[flag] !== undefined) {
      throw new UsageError(`--${flag} applies to --aws (the stage report), not local sources`);
    }
  }
  const policy = policyFrom(values);
  const slos = await loadDefinitions(positionals, io.cwd, values.service);

  let objectives: GateObjective[];
  if (values.aws) {
    const stage = (values.stage ?? process.env.SLO_STAGE ?? "").trim();
    if (stage === "") {
      throw new UsageError(
        "--aws needs the stage about to deploy, which the stage report must be: pass --stage NAME (e.g. --stage production) or set SLO_STAGE",
      );
    }
    const bucket = reportBucket(values.bucket, "--aws");
    let s3 = deps.s3;
    if (!s3) {
      const region = await ensureAwsAccess(process.env.AWS_REGION, {
        prefix: "--aws: ",
        alternative: ", or gate on a metrics file with --source",
      });
      const { createS3Client } = await import("@slo/aws");
      s3 = createS3Client({ region });
    }
    objectives = await reportObjectives(slos, {
      s3,
      bucket,
      stage,
      nowMs: deps.nowMs ?? Date.now(),
    });
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

/** `slo gate`: error-budget deploy gate over computed reports or the stage report. */
export function run(argv: string[], io: CliIo): Promise<number> {
  return runWith(argv, io, {});
}
