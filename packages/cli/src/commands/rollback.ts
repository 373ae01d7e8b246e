import type { PlanRollbackOptions, RollbackPlan, RollbackResult } from "@slo/aws";
import { parseCommand } from "../args.ts";
import { ensureAwsAccess } from "../aws-access.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";

const HELP = `Usage: slo rollback --service NAME --cluster NAME [options]

Rolls an ECS service back to the newest ACTIVE revision of its task definition family
older than the one it runs (or to --to REV), then waits for the rollout to complete.
Region and credentials come from the environment (AWS_REGION, AWS_PROFILE, ...).

  --service NAME   the ECS service (required)
  --cluster NAME   its ECS cluster, name or ARN (required)
  --to REV         roll back to this revision of the family instead
  --force          roll back even while a deployment is IN_PROGRESS
  --wait SEC       wait up to SEC seconds for the rollout to reach COMPLETED
                   (default 600; 0 returns once ECS accepted the update)
  --dry-run        print the plan and change nothing
  --json           one JSON object on the last line

Afterwards the service is out of step with the stage's IaC state: the next "sst deploy"
puts the declared revision back. Fix forward, or redeploy the previous git revision
(README "Infrastructure rollback").

Exit codes: 0 rolled back (or planned, with --dry-run), 1 failed, 2 usage.
`;

/** Clients a test hands in instead of the environment's. */
export interface RollbackDeps {
  readonly ecs?: PlanRollbackOptions["ecs"];
}

const DEFAULT_WAIT_SEC = 600;

function nonNegativeInt(raw: string, flag: string, hint: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw new UsageError(`${flag} must be ${hint}, got "${raw}"`);
  }
  return n;
}

const short = (arn: string) => arn.split("task-definition/").pop() as string;

function renderPlan(plan: RollbackPlan): string {
  const lines = [
    `rollback of ${plan.service} (cluster ${plan.cluster}):`,
    `  current  ${short(plan.current)}`,
    `  target   ${short(plan.target)}`,
  ];
  const d = plan.inProgressDeployment;
  if (d) {
    lines.push(
      `  forced over deployment ${d.id} (${short(d.taskDefinition)}, ${d.rolloutState ?? "?"}, ${d.runningCount}/${d.desiredCount} running)`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * What a rollback leaves behind: the service runs a revision the IaC state does not
 * declare, so the next `sst deploy` of the stage puts the bad revision back unless the
 * code is fixed or reverted first.
 */
export function driftNotice(plan: RollbackPlan): string {
  return (
    `${plan.service} now runs ${short(plan.target)}, not the ${short(plan.current)} the stage's IaC state (sst deploy) declares: ` +
    "the next sst deploy of this stage re-deploys the declared image unless you reconcile first. " +
    "Reconcile: fix forward and deploy, or redeploy the previous git revision of the stage " +
    '(git checkout <last good commit> && sst deploy --stage <stage>; README "Infrastructure rollback").'
  );
}

function renderResult(r: RollbackResult): string {
  const dep = r.deploymentId ? ` (deployment ${r.deploymentId})` : "";
  return r.outcome === "COMPLETED"
    ? `rolled back ${r.service} to ${short(r.to)}: COMPLETED after ${Math.round(r.waitedMs / 1000)} s${dep}\n`
    : `rollback of ${r.service} to ${short(r.to)} started${dep}; not waiting for it (--wait 0)\n`;
}

/**
 * `slo rollback` with injectable clients: the binary calls `run`, tests call this with
 * mocked clients (no credential check then).
 *
 * @example
 * const code = await runWith(["--service", "web", "--cluster", "fleet", "--dry-run"], io, { ecs });
 */
export async function runWith(argv: string[], io: CliIo, deps: RollbackDeps): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: {
      service: { type: "string" },
      cluster: { type: "string" },
      to: { type: "string" },
      force: { type: "boolean", default: false },
      wait: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.service)
    throw new UsageError("--service is required: name the ECS service to roll back");
  if (!values.cluster)
    throw new UsageError("--cluster is required: name the service's ECS cluster");
  const to =
    values.to === undefined
      ? undefined
      : nonNegativeInt(values.to, "--to", "a task definition revision number such as 41");
  if (to === 0) throw new UsageError('--to must be a revision number of 1 or more, got "0"');
  const waitSec =
    values.wait === undefined
      ? DEFAULT_WAIT_SEC
      : nonNegativeInt(values.wait, "--wait", "a number of seconds such as 600 (0: do not wait)");
  if (values["dry-run"] && values.wait !== undefined) {
    throw new UsageError("--wait does nothing with --dry-run: a dry run deploys nothing");
  }

  const aws = await import("@slo/aws");
  let ecs = deps.ecs;
  if (!ecs) {
    ecs = aws.createEcsClient({ region: await ensureAwsAccess(process.env.AWS_REGION) });
  }
  const plan = await aws.planRollback({
    ecs,
    cluster: values.cluster,
    service: values.service,
    force: values.force,
    ...(to !== undefined ? { to } : {}),
  });
  if (values["dry-run"]) {
    if (values.json) io.stdout(`${JSON.stringify({ dryRun: true, plan })}\n`);
    else io.stdout(`${renderPlan(plan)}dry run: nothing changed\n`);
    return 0;
  }
  if (!values.json) io.stdout(renderPlan(plan));
  const result = await aws.executeRollback(plan, { ecs, waitMs: waitSec * 1000 });
  if (values.json) {
    io.stdout(`${JSON.stringify({ dryRun: false, plan, result, drift: driftNotice(plan) })}\n`);
  } else {
    io.stdout(`${renderResult(result)}warning: ${driftNotice(plan)}\n`);
  }
  return 0;
}

/** `slo rollback`: roll an ECS service back to an earlier task definition revision. */
export function run(argv: string[], io: CliIo): Promise<number> {
  return runWith(argv, io, {});
}
