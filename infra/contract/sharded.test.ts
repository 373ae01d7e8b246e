import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { STAGE_REPORT_KEY } from "../../packages/core/src/stage-report/model.ts";
import { awsShardedHandlers } from "../../packages/functions/src/runtime/aws/sharded.ts";
import { loadFunctionConfig } from "../../packages/functions/src/runtime/config.ts";
import type { JobResult } from "../../packages/functions/src/runtime/job.ts";
import { shardResultKey } from "../../packages/functions/src/runtime/shard-results.ts";
import { invokeCapturingStdout } from "../../packages/functions/src/test-helpers.ts";
import { FLEET, resolveStage } from "../../stacks/index.ts";
import { JOB_RETRIES, maximumRunAgeSeconds } from "../dead-letter.ts";
import { JOB_METRICS } from "../monitoring.ts";
import {
  EXECUTION_ALARMS,
  SHARD_RESULTS_PREFIX,
  SHARD_ROLLUP_PREFIX,
  SHARDED_HANDLERS,
} from "../sharded-evaluation.ts";
import { bundleEvaluator, evaluateStage } from "../testing/bundle.ts";
import type { ResourceRecord } from "../testing/mocks.ts";
import type { PlanOutput } from "../testing/plan-types.ts";
import {
  authorizer,
  checkContract,
  PLAN_ENV,
  rolePolicies,
  scheduleRuntimeRequests,
  stateMachineRuntimeRequests,
} from "./contract.ts";
import { expectClean } from "./expect-clean.ts";
import { FakeAws } from "./fake-aws.ts";
import { CallRecorder } from "./recorder.ts";

/**
 * A stage that shards: production with the 40-SLO fleet and the threshold lowered from
 * the environment (stacks/index.ts `withShardingFromEnv`), as a deploy would be made.
 */
const STAGE = "production";
const SHARDED_ENV = { SLO_SHARD_ABOVE: "10", SLO_SLOS_PER_SHARD: "10" };
const root = path.resolve(import.meta.dirname, "../..");
let deploy: PlanOutput;
let dev: PlanOutput;

beforeAll(async () => {
  const entry = await bundleEvaluator(root);
  [deploy, dev] = await Promise.all([
    evaluateStage(root, entry, STAGE, { env: SHARDED_ENV }),
    evaluateStage(root, entry, STAGE, { env: SHARDED_ENV, dev: true }),
  ]);
}, 170_000);

const FAKE_CREDENTIALS = { accessKeyId: "AKIACONTRACT", secretAccessKey: "contract" };
const STEP_MS = 300_000;
const STEPS = ["plan", "calculator", "evaluator", "merge"] as const;
type Step = (typeof STEPS)[number];
const COMPONENT: Record<Step, string> = {
  plan: "SloShardPlan",
  calculator: "SloShardCalculator",
  evaluator: "SloShardEvaluator",
  merge: "SloShardMerge",
};

const of = (plan: PlanOutput, type: string): ResourceRecord[] =>
  plan.resources.filter((r) => r.type === type);
const byName = (plan: PlanOutput, name: string): ResourceRecord => {
  const r = plan.resources.find((x) => x.name === name);
  if (!r) throw new Error(`stage ${plan.stage} declares no ${name}`);
  return r;
};
const envOf = (fn: ResourceRecord) =>
  (fn.inputs.environment as { variables: Record<string, string> }).variables;
const tagsOf = (r: ResourceRecord) => (r.inputs.tags as Record<string, string> | undefined) ?? {};

describe(`sharded stage (${STAGE}, SLO_SHARD_ABOVE=10): permission contract`, () => {
  it("runs plan, calculator shards, evaluator shards and merge with each function's own role: every call allowed, every grant used", async () => {
    const { profile } = resolveStage(STAGE);
    const out = deploy.outputs as Record<string, string>;
    const topic = (t: "page" | "ticket") =>
      out[t === "page" ? "alertTopicPage" : "alertTopicTicket"] as string;
    const links = {
      SST_RESOURCE_RollupBucket: JSON.stringify({ name: out.rollupBucket }),
      SST_RESOURCE_AlertTopicPage: JSON.stringify({ arn: topic(profile.alerts.route.page) }),
      SST_RESOURCE_AlertTopicTicket: JSON.stringify({ arn: topic(profile.alerts.route.ticket) }),
    };
    const world = {
      env: PLAN_ENV,
      clusterName: out.cluster as string,
      services: FLEET.map((f) => f.name),
      bucket: out.rollupBucket as string,
      topicArns: [topic("page"), topic("ticket")],
      failingService: "payment-service",
    };
    const roles = rolePolicies(deploy);
    // One recorder per function role, kept across both scenarios below.
    const role = Object.fromEntries(
      STEPS.map((step) => {
        const fn = byName(deploy, `${COMPONENT[step]}Function`);
        expect(fn.inputs.handler).toBe(SHARDED_HANDLERS[step]);
        const roleArn = String(fn.inputs.role);
        const statements = roles.get(roleArn)?.statements ?? [];
        // Only the logs (and EMF) policy SST attaches to every function, as the single jobs.
        expect(roles.get(roleArn)?.managedPolicyArns, step).toEqual([
          "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        ]);
        const recorder = new CallRecorder(PLAN_ENV, authorizer(statements, roleArn));
        const { SST_KEY_FILE: _bundled, ...planned } = envOf(fn);
        const env: Record<string, string> = {
          ...planned,
          ...links,
          AWS_REGION: PLAN_ENV.region,
          POWERTOOLS_LOG_LEVEL: "SILENT",
          // What infra bundled as the function's slo-definitions.json.
          SLO_DEFINITIONS_FILE: path.join(root, ".sst", "slo-platform", "slo-definitions.json"),
        };
        return [step, { env, recorder, statements, roleArn }];
      }),
    ) as Record<
      Step,
      {
        env: Record<string, string>;
        recorder: CallRecorder;
        statements: Parameters<typeof checkContract>[1];
        roleArn: string;
      }
    >;

    const at = Math.floor(Date.now() / STEP_MS) * STEP_MS;
    // Two fresh deploys, two steps each. On time: the calculator runs first (creates each
    // shard's rollup object), then the evaluator and the merge (shard results, alert
    // state). Calculator late (its run failed or is slow): the evaluator shards bring
    // their rollups up to date themselves, as the single evaluator does, from nothing.
    for (const first of ["calculator", "evaluator"] as const) {
      const fake = new FakeAws(world);
      const handlers = (step: Step) =>
        awsShardedHandlers(
          loadFunctionConfig("burn-rate-evaluator", role[step].env),
          role[step].env,
          {
            clients: {
              region: PLAN_ENV.region,
              credentials: FAKE_CREDENTIALS,
              plugins: [role[step].recorder.plugin(), fake.plugin()],
            },
          },
        );
      const h = Object.fromEntries(STEPS.map((step) => [step, handlers(step)])) as Record<
        Step,
        ReturnType<typeof awsShardedHandlers>
      >;
      const invoke = async (step: Exclude<Step, "plan">, event: Record<string, string>) => {
        const r = await invokeCapturingStdout(h[step][step], step, { event });
        const label = `${step} ${JSON.stringify(event)} (${first} first)`;
        expect(r.error, label).toBeUndefined();
        expect((r.result as JobResult).failed, label).toEqual([]);
      };
      let shardCount = 0;
      for (const t of [at, at + STEP_MS]) {
        const time = new Date(t).toISOString();
        const { shards } = await h.plan.plan({ time });
        shardCount = shards.length;
        expect(shards.length).toBeGreaterThan(1);
        const order =
          t === at
            ? [first, ...(["calculator", "evaluator"] as const).filter((j) => j !== first)]
            : (["calculator", "evaluator"] as const);
        for (const job of order) {
          for (const s of shards) await invoke(job, s);
          if (job === "evaluator") await invoke("merge", { time });
        }
      }
      const keys = [...fake.objects.keys()];
      expect(keys.filter((k) => k.startsWith(SHARD_ROLLUP_PREFIX))).toHaveLength(shardCount);
      expect(shardResultKey(at, "shard-0").startsWith(SHARD_RESULTS_PREFIX)).toBe(true);
      expect(keys.filter((k) => k.startsWith(SHARD_RESULTS_PREFIX))).toHaveLength(2 * shardCount);
      expect(keys).toContain("alert-state/v1.json");
      // The merge writes the one stage report the gate and doctor read; no shard does.
      expect(keys).toContain(STAGE_REPORT_KEY);
      // payment-service burns at 5 %: the merge notifies (SLO_NOTIFY=true in production).
      expect(fake.published.length).toBeGreaterThan(0);
    }

    // The plan step reads only its bundled definitions: no AWS call, no grant.
    expect(role.plan.recorder.calls).toEqual([]);
    expect(role.plan.statements).toEqual([]);
    for (const step of ["calculator", "evaluator", "merge"] as const) {
      const { recorder, statements, roleArn } = role[step];
      expect(
        recorder.calls.filter((c) => c.decision === "Denied"),
        step,
      ).toEqual([]);
      const reportWrites = recorder.calls.filter((c) =>
        c.resource.endsWith(`/${STAGE_REPORT_KEY}`),
      );
      expect(
        reportWrites.map((c) => c.action).every((a) => a === "s3:PutObject"),
        step,
      ).toBe(true);
      expect(reportWrites.length > 0, step).toBe(step === "merge");
      // EMF through the function's logs: no PutMetricData, so no grant for it.
      expect(recorder.calls.map((c) => c.action)).not.toContain("cloudwatch:PutMetricData");
      expectClean(
        await checkContract(
          `${COMPONENT[step]} (${roleArn})`,
          statements as Parameters<typeof checkContract>[1],
          recorder.calls,
        ),
      );
    }
  }, 120_000);

  it("Step Functions may invoke exactly the functions each state machine names", async () => {
    const byRole = stateMachineRuntimeRequests(deploy);
    expect(byRole.size).toBe(2);
    const roles = rolePolicies(deploy);
    const invoked = [...byRole.values()].flat().map((r) => r.resource.split(":").pop());
    expect(invoked.sort()).toEqual(
      ["plan", "calculator", "plan", "evaluator", "merge"]
        .map((s) => String(byName(deploy, `${COMPONENT[s as Step]}Function`).inputs.name))
        .sort(),
    );
    for (const [roleArn, requests] of byRole) {
      expectClean(await checkContract(roleArn, roles.get(roleArn)?.statements ?? [], requests));
    }
  });

  it("EventBridge Scheduler may start each state machine and dead-letter a failed start", async () => {
    const byRole = scheduleRuntimeRequests(deploy);
    // Two state machines and predicted-load's Lambda.
    expect(byRole.size).toBe(3);
    const roles = rolePolicies(deploy);
    const actions = [...byRole.values()].flat().map((r) => r.action);
    expect(actions.filter((a) => a === "states:StartExecution")).toHaveLength(2);
    expect(actions.filter((a) => a === "sqs:SendMessage")).toHaveLength(3);
    for (const [roleArn, requests] of byRole) {
      expectClean(await checkContract(roleArn, roles.get(roleArn)?.statements ?? [], requests));
    }
  });
});

describe(`sharded stage (${STAGE}): retries, dead letter and watchers`, () => {
  const { profile } = resolveStage(STAGE);

  it("retries a failed start while younger than the job's interval, then dead-letters it", () => {
    const queue = of(deploy, "aws:sqs/queue:Queue");
    expect(queue).toHaveLength(1);
    const queueArn = `arn:aws:sqs:${PLAN_ENV.region}:${PLAN_ENV.accountId}:${queue[0]?.name}`;
    for (const [name, every] of [
      ["SloCalculatorShards", profile.jobs.sloCalculatorEvery],
      ["BurnRateEvaluatorShards", profile.jobs.burnRateEvaluatorEvery],
    ] as const) {
      const machine = byName(deploy, name);
      expect(machine.inputs.type).toBe("EXPRESS");
      expect(byName(deploy, `${name}Schedule`).inputs.target).toMatchObject({
        arn: `arn:aws:states:${PLAN_ENV.region}:${PLAN_ENV.accountId}:stateMachine:${name}`,
        retryPolicy: {
          maximumRetryAttempts: JOB_RETRIES.schedule,
          maximumEventAgeInSeconds: maximumRunAgeSeconds(every),
        },
        deadLetterConfig: { arn: queueArn },
      });
      // Plan and Merge retry a handler error once inside the run; a shard does not.
      const states = JSON.parse(String(machine.inputs.definition)).States;
      const handlerRetry = (task: { Retry: { ErrorEquals: string[]; MaxAttempts: number }[] }) =>
        task.Retry.find((r) => r.ErrorEquals.includes("States.TaskFailed"))?.MaxAttempts;
      expect(handlerRetry(states.Plan)).toBe(JOB_RETRIES.lambda);
      expect(handlerRetry(states.Shards.ItemProcessor.States.Shard)).toBeUndefined();
      if (states.Merge) expect(handlerRetry(states.Merge)).toBe(JOB_RETRIES.lambda);
    }
  });

  it("pages on any failed or timed-out execution of each state machine", () => {
    const alarms = of(deploy, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
      EXECUTION_ALARMS.some((e) => e.kind === tagsOf(a).AlarmKind),
    );
    expect(alarms).toHaveLength(2 * EXECUTION_ALARMS.length);
    const machines = of(deploy, "aws:sfn/stateMachine:StateMachine").map(
      (m) => `arn:aws:states:${PLAN_ENV.region}:${PLAN_ENV.accountId}:stateMachine:${m.name}`,
    );
    const watched = alarms.map(
      (a) =>
        `${(a.inputs.dimensions as Record<string, string>).StateMachineArn}|${a.inputs.metricName}`,
    );
    expect(watched.sort()).toEqual(
      machines.flatMap((m) => EXECUTION_ALARMS.map((e) => `${m}|${e.metric}`)).sort(),
    );
    for (const a of alarms) {
      expect(a.inputs).toMatchObject({
        namespace: "AWS/States",
        statistic: "Sum",
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        actionsEnabled: true,
      });
      expect(String((a.inputs.alarmActions as string[])[0])).toContain("AlertsPage");
    }
  });

  it("watches the shard functions as the two SLO jobs (Errors, heartbeat, JobErrors), predicted-load as before", () => {
    const jobAlarms = of(deploy, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
      tagsOf(a).AlarmKind?.startsWith("job-"),
    );
    expect(jobAlarms).toHaveLength(3 * 3);
    const metricOf = (a: ResourceRecord) =>
      (
        a.inputs.metricQueries as {
          metric: { namespace: string; dimensions: Record<string, string> };
        }[]
      )[0]?.metric;
    const errorsOf = Object.fromEntries(
      jobAlarms
        .filter((a) => tagsOf(a).AlarmKind === "job-errors")
        .map((a) => [tagsOf(a).Job, metricOf(a)?.dimensions.FunctionName]),
    );
    const fnName = (c: string) => String(byName(deploy, `${c}Function`).inputs.name);
    expect(errorsOf).toEqual({
      "slo-calculator": fnName("SloShardCalculator"),
      "burn-rate-evaluator": fnName("SloShardEvaluator"),
      "predicted-load": fnName("PredictedLoadHandler"),
    });
    // The heartbeat and JobErrors read the service the shards (and the merge) publish under.
    for (const [job, component] of [
      ["slo-calculator", "SloShardCalculator"],
      ["burn-rate-evaluator", "SloShardEvaluator"],
      ["burn-rate-evaluator", "SloShardMerge"],
    ] as const) {
      const env = envOf(byName(deploy, `${component}Function`));
      for (const kind of ["job-heartbeat", "job-unit-errors"]) {
        const alarm = jobAlarms.find((a) => tagsOf(a).AlarmKind === kind && tagsOf(a).Job === job);
        const m = metricOf(alarm as ResourceRecord);
        expect(`${m?.namespace}|${m?.dimensions.service}|${m?.dimensions.Stage}`).toBe(
          `${env.POWERTOOLS_METRICS_NAMESPACE}|${env.POWERTOOLS_SERVICE_NAME}|${env.SLO_STAGE}`,
        );
      }
    }
    const jobs = Object.values(JOB_METRICS).map((j) => j.service);
    expect(envOf(byName(deploy, "SloShardCalculatorFunction")).POWERTOOLS_SERVICE_NAME).toBe(
      jobs[0],
    );
  });

  it("plans in dev mode too: the same state machines and alarms, the shard handlers run live", () => {
    expect(dev.dev).toBe(true);
    for (const type of [
      "aws:sfn/stateMachine:StateMachine",
      "aws:scheduler/schedule:Schedule",
      "aws:sqs/queue:Queue",
    ]) {
      expect(
        of(dev, type)
          .map((r) => r.name)
          .sort(),
        type,
      ).toEqual(
        of(deploy, type)
          .map((r) => r.name)
          .sort(),
      );
    }
    const kinds = (p: PlanOutput) =>
      of(p, "aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((a) => `${tagsOf(a).AlarmKind}|${String(a.inputs.name)}`)
        .sort();
    expect(kinds(dev)).toEqual(kinds(deploy));
    const live = dev.live.map((t) => t.handler);
    for (const handler of Object.values(SHARDED_HANDLERS)) expect(live).toContain(handler);
    expect(deploy.live).toEqual([]);
  });
});
