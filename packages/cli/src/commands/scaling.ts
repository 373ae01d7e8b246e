import type {
  ScalingChangeResult,
  ScalingPolicySummary,
  ScalingStatus,
  ScalingTargetOptions,
  SuspendedFlags,
} from "@slo/aws";
import { parseCommand } from "../args.ts";
import { ensureAwsAccess } from "../aws-access.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";

const ACTIONS = ["suspend", "resume", "status"] as const;
type Action = (typeof ACTIONS)[number];

const HELP = `Usage: slo scaling <suspend|resume|status> --service NAME --cluster NAME [options]

Suspends or resumes Application Auto Scaling for an ECS service (its
ecs:service:DesiredCount target), or shows min/max, what is suspended and the policies.
Region and credentials come from the environment (AWS_REGION, AWS_PROFILE, ...).

  --service NAME   the ECS service (required)
  --cluster NAME   its ECS cluster, name or ARN (required)
  --scale-in       scale-in by target tracking / step policies
  --scale-out      scale-out by target tracking / step policies
  --scheduled      scheduled actions
                   suspend with none of these suspends scale-in only (capacity can
                   still grow); resume with none resumes everything
  --json           one JSON object on the last line

Predictive scaling policies are not among the activities AWS documents a suspension
to stop: status and suspend list any in ForecastAndScale mode.
Exit codes: 0 done, 1 failed, 2 usage.
`;

/** Clients a test hands in instead of the environment's. */
export interface ScalingDeps {
  readonly autoScaling?: ScalingTargetOptions["client"];
}

function flags(f: SuspendedFlags): string {
  const word = (b: boolean) => (b ? "SUSPENDED" : "active");
  return `scale-in ${word(f.scaleIn)}, scale-out ${word(f.scaleOut)}, scheduled ${word(f.scheduled)}`;
}

function predictiveWarning(policies: readonly ScalingPolicySummary[]): string {
  const live = policies.filter((p) => p.predictiveMode === "ForecastAndScale");
  if (live.length === 0) return "";
  return `note: predictive policy ${live.map((p) => p.name).join(", ")} runs in ForecastAndScale mode; AWS documents suspension for target tracking, step and scheduled scaling only, so set it to ForecastOnly to be sure it stops moving capacity\n`;
}

function renderStatus(s: ScalingStatus): string {
  const policies = s.policies.length
    ? s.policies
        .map((p) => `${p.name} (${p.type}${p.predictiveMode ? `, ${p.predictiveMode}` : ""})`)
        .join(", ")
    : "none";
  const predicted = s.predictedCapacity !== undefined ? `, predicted ${s.predictedCapacity}` : "";
  return [
    `${s.resourceId}`,
    `  capacity   min ${s.minCapacity}, max ${s.maxCapacity}${predicted}`,
    `  suspended  ${flags(s.suspended)}`,
    `  policies   ${policies}`,
    "",
  ].join("\n");
}

function renderChange(action: "suspend" | "resume", r: ScalingChangeResult): string {
  const head = r.changed
    ? `${r.resourceId}: ${flags(r.after)} (was ${flags(r.before)})`
    : `${r.resourceId}: already ${flags(r.after)}; nothing changed`;
  return `${head}\n${action === "suspend" ? predictiveWarning(r.policies) : ""}`;
}

/**
 * `slo scaling` with injectable clients: the binary calls `run`, tests call this with a
 * mocked client (no credential check then).
 *
 * @example
 * const code = await runWith(["status", "--service", "web", "--cluster", "fleet"], io, { autoScaling });
 */
export async function runWith(argv: string[], io: CliIo, deps: ScalingDeps): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: {
      service: { type: "string" },
      cluster: { type: "string" },
      "scale-in": { type: "boolean", default: false },
      "scale-out": { type: "boolean", default: false },
      scheduled: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  const action = positionals[0] as Action | undefined;
  if (action === undefined || !ACTIONS.includes(action)) {
    throw new UsageError(
      `name the action: one of ${ACTIONS.join(", ")}${action ? ` (got "${action}")` : ""}`,
    );
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  if (!values.service) throw new UsageError("--service is required: name the ECS service");
  if (!values.cluster)
    throw new UsageError("--cluster is required: name the service's ECS cluster");
  const change = {
    scaleIn: values["scale-in"],
    scaleOut: values["scale-out"],
    scheduled: values.scheduled,
  };
  if (action === "status" && (change.scaleIn || change.scaleOut || change.scheduled)) {
    throw new UsageError("--scale-in, --scale-out and --scheduled apply to suspend and resume");
  }

  const aws = await import("@slo/aws");
  let client = deps.autoScaling;
  if (!client) {
    client = aws.createAutoScalingClient({ region: await ensureAwsAccess(process.env.AWS_REGION) });
  }
  const target = { client, cluster: values.cluster, service: values.service };
  if (action === "status") {
    const status = await aws.describeScaling(target);
    if (values.json) io.stdout(`${JSON.stringify({ action, ...status })}\n`);
    else io.stdout(`${renderStatus(status)}${predictiveWarning(status.policies)}`);
    return 0;
  }
  const result =
    action === "suspend"
      ? await aws.suspendScaling({ ...target, ...change })
      : await aws.resumeScaling({ ...target, ...change });
  if (values.json) io.stdout(`${JSON.stringify({ action, ...result })}\n`);
  else io.stdout(renderChange(action, result));
  return 0;
}

/** `slo scaling`: suspend, resume or show a service's Application Auto Scaling. */
export function run(argv: string[], io: CliIo): Promise<number> {
  return runWith(argv, io, {});
}
