import type { S3Client } from "@aws-sdk/client-s3";
import type { DoctorClients, PostureClients } from "@slo/aws";
import { type CheckResult, type ObservedStageReport, runDoctor } from "@slo/core/doctor";
import { SloPlatformError } from "@slo/core/errors";
import { STAGE_REPORT_KEY } from "@slo/core/stage-report";
import { flagNumber, parseCommand } from "../args.ts";
import { ensureAwsAccess } from "../aws-access.ts";
import { declareStage, postureInputs } from "../doctor/declaration.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { loadDefinitions } from "../sources.ts";
import { bucketHelp, readStageReport, reportBucket } from "../stage-report.ts";

const HELP = `Usage: slo doctor --stage NAME --cluster NAME --bucket NAME [options] [slo paths..]

Checks a deployed stage against what its profile (stacks/), fleet and SLOs declare,
read-only, and prints a checklist: ✓ fine, ✗ broken (exit 1), ! worth a look.

  services       ACTIVE, running == desired, tasks spread over the profile's zones,
                 last deployment COMPLETED
  target-groups  every registered target healthy, health check path as declared
  scaling        min/max as declared, every policy attached, nothing suspended,
                 recent activities, predictive forecasts present
  jobs           each job published within two runs, no JobErrors, dead-letter queue empty
  alarms         every declared alarm exists, none in INSUFFICIENT_DATA past its
                 evaluation range, actions and topics as the profile routes them
  canaries       running, last run passed, success rate over the last hour
  stage-report   the burn-rate evaluator's report (what slo gate --aws reads)
                 exists, is this stage's, at most two runs old, no SLO failed
  budgets        every SLO objective with less error budget than --min-budget,
                 from the stage report

  --stage NAME     the stage (default $SLO_STAGE)
  --cluster NAME   its ECS cluster, the stage's "cluster" output (default $SLO_CLUSTER)
${bucketHelp(19)}
  --min-budget F   the gate's reserve: list budgets below this fraction (default 0)
  --json           one JSON object: { stage, healthy, results: [...] }

Needs AWS credentials with the stage's operator policy (the "operatorPolicy" output).
`;

/** Clients a test hands in instead of the environment's. */
export interface DoctorDeps {
  readonly clients?: DoctorClients;
  /** Reads the stage report (without it: a client from the environment). */
  readonly s3?: S3Client;
  /** The zero-trust posture check's clients; without them (tests) the posture is not read. */
  readonly postureClients?: PostureClients;
  readonly nowMs?: number;
}

const MARK: Readonly<Record<CheckResult["status"], string>> = { pass: "✓", fail: "✗", warn: "!" };

function render(stage: string, results: readonly CheckResult[]): string {
  const lines: string[] = [];
  let check = "";
  for (const r of results) {
    if (r.check !== check) {
      check = r.check;
      lines.push(check);
    }
    lines.push(`  ${MARK[r.status]} ${r.subject}: ${r.message}`);
    if (r.fix && r.status !== "pass") lines.push(`      fix: ${r.fix}`);
  }
  const fails = results.filter((r) => r.status === "fail").length;
  const warns = results.filter((r) => r.status === "warn").length;
  lines.push(
    fails === 0
      ? `stage ${stage}: healthy${warns ? ` (${warns} to look at)` : ""}`
      : `stage ${stage}: ${fails} problem(s)${warns ? `, ${warns} to look at` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}

/**
 * `slo doctor` with injectable clients: the binary calls `run`, tests call this.
 *
 * @example
 * const code = await runWith(["--stage", "production", "--cluster", "c"], io, { clients });
 */
export async function runWith(argv: string[], io: CliIo, deps: DoctorDeps): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: {
      stage: { type: "string" },
      cluster: { type: "string" },
      bucket: { type: "string" },
      "min-budget": { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  const stage = (values.stage ?? process.env.SLO_STAGE ?? "").trim();
  if (!stage) throw new UsageError("--stage is required (or set SLO_STAGE): the stage to check");
  const cluster = (values.cluster ?? process.env.SLO_CLUSTER ?? "").trim();
  if (!cluster) {
    throw new UsageError(
      '--cluster is required (or set SLO_CLUSTER): the stage\'s ECS cluster, its "cluster" output',
    );
  }
  const bucket = reportBucket(values.bucket, "slo doctor");
  const reserve = flagNumber(values["min-budget"], "--min-budget", 0, {
    min: 0,
    max: 1,
    expect: "a fraction from 0 to 1 (e.g. 0.1)",
  });
  const slos = await loadDefinitions(positionals, io.cwd);
  const { declaration, metrics, alarmPrefix, notice } = declareStage(stage, cluster, slos, reserve);
  if (notice && !values.json) io.stderr(`slo doctor: ${notice}\n`);

  const aws = await import("@slo/aws");
  let clients = deps.clients;
  let postureClients = deps.postureClients;
  // Resolved once, only when a client has to come from the environment.
  let resolved: string | undefined;
  const awsRegion = async () => {
    resolved ??= await ensureAwsAccess(process.env.AWS_REGION);
    return resolved;
  };
  if (!clients) {
    const region = await awsRegion();
    clients = {
      ecs: aws.createEcsClient({ region }),
      elb: aws.createElbv2Client({ region }),
      autoScaling: aws.createAutoScalingClient({ region }),
      cloudWatch: aws.createCloudWatchClient({ region }),
    };
    postureClients = {
      ecs: clients.ecs,
      ec2: aws.createEc2Client({ region }),
      lattice: aws.createLatticeClient({ region }),
    };
  }
  const s3 = deps.s3 ?? aws.createS3Client({ region: await awsRegion() });
  const [observed, stageReport] = await Promise.all([
    aws.readStage(clients, {
      cluster,
      services: declaration.services.map((s) => s.name),
      alarmPrefix,
      metrics,
      ...(deps.nowMs !== undefined ? { nowMs: deps.nowMs } : {}),
    }),
    observeStageReport(s3, bucket),
  ]);
  // The zero-trust posture the profile declares against the one deployed (issue 11).
  const declared = aws.declaredPosture(...postureInputs(stage));
  const posture = postureClients
    ? aws.comparePosture(declared, await aws.readPosture(postureClients, { cluster, declared }))
    : undefined;
  const results = runDoctor(declaration, {
    ...observed,
    stageReport,
    ...(posture ? { posture } : {}),
  });
  const healthy = results.every((r) => r.status !== "fail");
  if (values.json) io.stdout(`${JSON.stringify({ stage, cluster, healthy, results })}\n`);
  else io.stdout(render(stage, results));
  return healthy ? 0 : 1;
}

/**
 * The stage report as doctor judges it: a read that fails (access denied, throttled, not
 * a report) is a finding of the stage-report check, not the end of the checklist.
 */
async function observeStageReport(s3: S3Client, bucket: string): Promise<ObservedStageReport> {
  try {
    const { report, location } = await readStageReport(s3, bucket);
    return report === undefined
      ? { location, status: "missing" }
      : { location, status: "found", report };
  } catch (error) {
    if (!(error instanceof SloPlatformError) || error.kind === "internal") throw error;
    return {
      location: `s3://${bucket}/${STAGE_REPORT_KEY}`,
      status: "unreadable",
      reason: `${error.name}: ${error.message}`,
    };
  }
}

/** `slo doctor`: is this stage healthy, as its profile declares it? */
export function run(argv: string[], io: CliIo): Promise<number> {
  return runWith(argv, io, {});
}
