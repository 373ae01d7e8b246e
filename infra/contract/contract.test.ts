import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createAutoScalingClient,
  createCloudWatchClient,
  createEc2Client,
  createEcsClient,
  createElbv2Client,
  createLatticeClient,
  createS3Client,
} from "../../packages/aws/src/clients.ts";
import { readTaskCounts } from "../../packages/aws/src/index.ts";
import {
  applyApplicationSignalsSlos,
  createApplicationSignalsClient,
} from "../../packages/aws/src/ops/application-signals.ts";
import {
  comparePosture,
  declaredPosture,
  readPosture,
} from "../../packages/aws/src/ops/posture.ts";
import { runWith as doctor } from "../../packages/cli/src/commands/doctor.ts";
import { runWith as exportCommand } from "../../packages/cli/src/commands/export.ts";
import { runWith as gate } from "../../packages/cli/src/commands/gate.ts";
import { runWith as rollback } from "../../packages/cli/src/commands/rollback.ts";
import { runWith as scaling } from "../../packages/cli/src/commands/scaling.ts";
import { recordIo } from "../../packages/cli/src/testing/record-io.ts";
import { applicationSignalsSlos } from "../../packages/core/src/export/application-signals.ts";
import { loadSloFiles } from "../../packages/core/src/spec/index.ts";
import {
  buildStageReport,
  encodeStageReport,
  STAGE_REPORT_KEY,
} from "../../packages/core/src/stage-report/index.ts";
import {
  type FunctionName,
  loadFunctionConfig,
} from "../../packages/functions/src/runtime/config.ts";
import type { JobResult } from "../../packages/functions/src/runtime/job.ts";
import { awsHandler } from "../../packages/functions/src/runtime/registry.ts";
import { invokeCapturingStdout } from "../../packages/functions/src/test-helpers.ts";
import { FLEET, resolveStage } from "../../stacks/index.ts";
import { bundleEvaluator, evaluateStage } from "../testing/bundle.ts";
import type { PlanOutput } from "../testing/plan-types.ts";
import {
  type AcceptedGrant,
  asyncInvokeRuntimeRequests,
  authorizer,
  canaryRuntimeRequests,
  checkContract,
  jobFunction,
  managedPolicy,
  PLAN_ENV,
  rolePolicies,
  scheduleRuntimeRequests,
} from "./contract.ts";
import { expectClean } from "./expect-clean.ts";
import { FakeAws, type FakeWorld } from "./fake-aws.ts";
import { CallRecorder } from "./recorder.ts";

const root = path.resolve(import.meta.dirname, "../..");
const STAGES = ["dev", "staging", "production"] as const;
const plans = new Map<string, PlanOutput>();

/**
 * Grants no test exercises that are kept on purpose: the one place such a grant may be
 * listed, each with its reason. Empty: every planned grant is used.
 */
const ACCEPTED_UNUSED: readonly AcceptedGrant[] = [];

/** AWS managed policies a role may carry, and why (their calls are AWS's, not ours). */
const KNOWN_MANAGED_POLICIES: Readonly<Record<string, string>> = {
  "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole":
    "Lambda writes the function's logs (and the jobs' EMF metrics) with it; SST attaches it to every function",
};

const JOBS: readonly { name: FunctionName; component: string }[] = [
  { name: "slo-calculator", component: "SloCalculator" },
  { name: "burn-rate-evaluator", component: "BurnRateEvaluator" },
  { name: "predicted-load", component: "PredictedLoad" },
];

const FAKE_CREDENTIALS = { accessKeyId: "AKIACONTRACT", secretAccessKey: "contract" };
const STEP_MS = 300_000;

beforeAll(async () => {
  const entry = await bundleEvaluator(root);
  const results = await Promise.all(STAGES.map((s) => evaluateStage(root, entry, s)));
  for (const plan of results) plans.set(plan.stage, plan);
}, 170_000);

/** The stage's names as its Lambdas see them (links follow the profile's routing). */
function worldOf(plan: PlanOutput): FakeWorld & { links: Record<string, string> } {
  const { profile } = resolveStage(plan.stage);
  const out = plan.outputs as Record<string, string>;
  const topic = (t: "page" | "ticket") =>
    out[t === "page" ? "alertTopicPage" : "alertTopicTicket"] as string;
  const links = {
    SST_RESOURCE_RollupBucket: JSON.stringify({ name: out.rollupBucket }),
    SST_RESOURCE_AlertTopicPage: JSON.stringify({ arn: topic(profile.alerts.route.page) }),
    SST_RESOURCE_AlertTopicTicket: JSON.stringify({ arn: topic(profile.alerts.route.ticket) }),
  };
  return {
    env: PLAN_ENV,
    clusterName: out.cluster as string,
    services: FLEET.map((f) => f.name),
    bucket: out.rollupBucket as string,
    topicArns: [topic("page"), topic("ticket")],
    failingService: "payment-service",
    mesh: {
      stage: plan.stage,
      tls: profile.zeroTrust.serviceConnectTls,
      lattice: profile.zeroTrust.callerAuth === "lattice-iam",
      ecsExec: profile.zeroTrust.ecsExec,
      ports: Object.fromEntries(FLEET.map((f) => [f.name, f.port])),
      calls: Object.fromEntries(FLEET.map((f) => [f.name, f.calls])),
    },
    links,
  };
}

describe.each(STAGES)("permission contract, stage %s", (stage) => {
  const plan = () => plans.get(stage) as PlanOutput;

  it.each(JOBS)(
    "$name: every call its real code makes is allowed, every grant used",
    async (job) => {
      const fn = jobFunction(plan(), job.component);
      const roleArn = String(fn.inputs.role);
      const policy = rolePolicies(plan()).get(roleArn);
      expect(policy, `role ${roleArn} of ${job.component}`).toBeDefined();
      const statements = policy?.statements ?? [];
      for (const arn of policy?.managedPolicyArns ?? []) {
        expect(KNOWN_MANAGED_POLICIES, `managed policy ${arn} on ${job.component}`).toHaveProperty([
          arn,
        ]);
      }

      const world = worldOf(plan());
      const fake = new FakeAws(world);
      const recorder = new CallRecorder(PLAN_ENV, authorizer(statements, roleArn));
      const { SST_KEY_FILE: _bundled, ...planned } = (
        fn.inputs.environment as { variables: Record<string, string> }
      ).variables;
      const config = loadFunctionConfig(job.name, {
        ...planned,
        ...world.links,
        AWS_REGION: PLAN_ENV.region,
        POWERTOOLS_LOG_LEVEL: "SILENT",
        // What infra bundled as the function's slo-definitions.json.
        SLO_DEFINITIONS_FILE: path.join(root, ".sst", "slo-platform", "slo-definitions.json"),
      });
      const handler = awsHandler(job.name, config, {
        clients: {
          region: PLAN_ENV.region,
          credentials: FAKE_CREDENTIALS,
          plugins: [recorder.plugin(), fake.plugin()],
        },
      });
      const at = Math.floor(Date.now() / STEP_MS) * STEP_MS;
      // Two runs: the first creates the rollups and the alert state, the second rewrites them.
      for (const t of [at, at + STEP_MS]) {
        const run = await invokeCapturingStdout(handler, job.name, {
          event: { time: new Date(t).toISOString() },
        });
        expect(run.error).toBeUndefined();
        expect((run.result as JobResult).failed).toEqual([]);
      }
      if (job.name === "burn-rate-evaluator") {
        expect(fake.objects.has("alert-state/v1.json")).toBe(true);
        // What slo gate --aws and slo doctor read, written by the run (not a dry run).
        expect(fake.objects.has(STAGE_REPORT_KEY)).toBe(true);
        expect(
          recorder.calls
            .filter((c) => c.resource.endsWith(`/${STAGE_REPORT_KEY}`))
            .map((c) => c.action),
        ).toEqual(["s3:PutObject", "s3:PutObject"]);
        if (config.notify) expect(fake.published.length).toBeGreaterThan(0);
      }
      const lambdaRuntime = asyncInvokeRuntimeRequests(plan()).get(String(fn.inputs.name)) ?? [];
      expect(lambdaRuntime.length, `${job.component} has an on-failure destination`).toBe(1);
      expectClean(
        await checkContract(
          job.component,
          statements,
          [...recorder.calls, ...lambdaRuntime],
          ACCEPTED_UNUSED,
        ),
      );
    },
  );

  it("canaries: what the Synthetics runtime does with their role is allowed, every grant used", async () => {
    const byRole = canaryRuntimeRequests(plan());
    expect(byRole.size).toBeGreaterThan(0);
    const roles = rolePolicies(plan());
    for (const [roleArn, requests] of byRole) {
      const policy = roles.get(roleArn);
      expect(policy, `canary role ${roleArn}`).toBeDefined();
      expectClean(
        await checkContract("Canary", policy?.statements ?? [], requests, ACCEPTED_UNUSED),
      );
    }
  });

  it("schedules: what EventBridge Scheduler does with each job's schedule role is allowed, every grant used", async () => {
    const byRole = scheduleRuntimeRequests(plan());
    expect(byRole.size).toBe(JOBS.length);
    const roles = rolePolicies(plan());
    for (const [roleArn, requests] of byRole) {
      const policy = roles.get(roleArn);
      expect(policy, `schedule role ${roleArn}`).toBeDefined();
      expectClean(
        await checkContract(roleArn, policy?.statements ?? [], requests, ACCEPTED_UNUSED),
      );
    }
  });

  it("operator policy: slo gate --aws, rollback, scaling, doctor (with the posture check), loadtest and export application-signals --apply are allowed, every grant used", async () => {
    const policy = managedPolicy(plan(), "OperatorPolicy");
    const world = worldOf(plan());
    const fake = new FakeAws(world);
    const recorder = new CallRecorder(PLAN_ENV, authorizer(policy.statements));
    const clients = {
      region: PLAN_ENV.region,
      credentials: FAKE_CREDENTIALS,
      plugins: [recorder.plugin(), fake.plugin()],
    };
    const service = world.services[0] as string;
    const cluster = world.clusterName;

    // slo gate --aws: one GetObject of the stage report. Before the evaluator wrote one,
    // S3 answers 404 only because ListBucket is granted (403 otherwise): the gate blocks
    // naming the object instead of failing on a denied read.
    const { slos } = await loadSloFiles([path.join(root, "slos")]);
    const s3 = createS3Client(clients);
    const gateArgs = ["--service", service, "--aws", "--stage", stage, "--bucket", world.bucket];
    const before = recordIo(root);
    expect(await gate([...gateArgs, "--json"], before.io, { s3 })).toBe(1);
    expect(JSON.parse(before.out()).verdicts[0].reasons[0]).toMatch(/no stage report at s3:/);
    const rows = slos
      .filter((s) => s.service === service)
      .flatMap((s) =>
        s.objectives.map((o) => ({
          service,
          slo: s.name,
          objective: o.name,
          target: o.target,
          sli: 1,
          budgetRemaining: 1,
          alertState: 0 as const,
        })),
      );
    fake.objects.set(STAGE_REPORT_KEY, {
      body: new TextEncoder().encode(
        encodeStageReport(
          buildStageReport({
            stage,
            evaluatedAtMs: Math.floor(Date.now() / STEP_MS) * STEP_MS,
            stepMs: STEP_MS,
            objectives: rows,
            failed: [],
          }),
        ),
      ),
      etag: '"report"',
    });
    const after = recordIo(root);
    expect(await gate(gateArgs, after.io, { s3 })).toBe(0);
    expect(after.out()).toMatch(new RegExp(`deploy of ${service}: ALLOWED`));

    const io = recordIo(root);
    const ecs = createEcsClient(clients);
    expect(
      await rollback(["--service", service, "--cluster", cluster, "--json"], io.io, { ecs }),
    ).toBe(0);
    expect(io.out()).toContain('"outcome":"COMPLETED"');

    const autoScaling = createAutoScalingClient(clients);
    for (const argv of [["suspend", "--scale-in"], ["resume", "--scale-in"], ["status"]]) {
      const [action, ...flags] = argv as [string, ...string[]];
      expect(
        await scaling([action, "--service", service, "--cluster", cluster, ...flags], io.io, {
          autoScaling,
        }),
      ).toBe(0);
    }
    // slo doctor: every read it makes (the fake stage differs from the profile, so exit 1).
    const doctorIo = recordIo(root);
    const doctorCode = await doctor(
      ["--stage", stage, "--cluster", cluster, "--bucket", world.bucket, "--json"],
      doctorIo.io,
      {
        s3,
        clients: {
          ecs,
          elb: createElbv2Client(clients),
          autoScaling,
          cloudWatch: createCloudWatchClient(clients),
        },
        // Doctor's zero-trust posture check reads through the recorder too.
        postureClients: {
          ecs,
          ec2: createEc2Client(clients),
          lattice: createLatticeClient(clients),
        },
      },
    );
    expect(doctorIo.err()).toBe("");
    expect([0, 1]).toContain(doctorCode);
    const doctorResults = JSON.parse(doctorIo.out()).results as { check: string; status: string }[];
    expect(doctorResults.find((r) => r.check === "stage-report")?.status).toBe("pass");
    // slo loadtest --cluster: the task counts it samples per slice.
    expect(await readTaskCounts(ecs, cluster, service)).toMatchObject({
      desired: expect.any(Number),
    });
    // slo doctor's posture check: a stage deployed as declared reads back without findings.
    const declared = declaredPosture(stage, resolveStage(stage).profile.zeroTrust, FLEET);
    const observed = await readPosture(
      { ecs, ec2: createEc2Client(clients), lattice: createLatticeClient(clients) },
      { cluster, declared },
    );
    expect(comparePosture(declared, observed)).toEqual([]);

    // slo export application-signals --apply: creates, then a rerun only reads...
    const applicationSignals = createApplicationSignalsClient(clients);
    const exportArgs = ["application-signals", "--service", service, "--apply"];
    const exportIo = recordIo(root);
    await exportCommand(exportArgs, exportIo.io, { applicationSignals });
    expect(exportIo.err()).toMatch(
      /[1-9]\d* created, 0 updated, 0 unchanged, \d+ refused, 0 failed/,
    );
    const rerunIo = recordIo(root);
    await exportCommand(exportArgs, rerunIo.io, { applicationSignals });
    expect(rerunIo.err()).toMatch(/^0 created, 0 updated, [1-9]\d* unchanged, 0 refused, 0 failed/);
    // ...and a changed goal plus a new exclusion window updates the SLO in place.
    const [first] = applicationSignalsSlos(slos.filter((s) => s.service === service)).filter(
      (s) => s.request,
    );
    const request = first?.request;
    if (!first || !request) throw new Error(`no Application Signals SLO for ${service}`);
    const [changed] = await applyApplicationSignalsSlos(
      [
        {
          ...first,
          request: { ...request, Goal: { ...request.Goal, AttainmentGoal: 95 } },
          exclusionWindows: [
            {
              Window: { DurationUnit: "MINUTE", Duration: 30 },
              StartTime: "2026-12-24T00:00:00.000Z",
              Reason: "contract",
            },
          ],
        },
      ],
      { client: applicationSignals },
    );
    expect(changed?.outcome).toBe("updated");

    expect(recorder.calls.filter((c) => c.decision === "Denied")).toEqual([]);
    // The stage report: the gate's two reads and doctor's one, and the ListBucket that
    // turned the first (no report yet) into a 404.
    const reportCalls = recorder.calls.filter(
      (c) => c.action.startsWith("s3:") && c.call.startsWith("S3Client"),
    );
    expect(reportCalls.map((c) => [c.action, c.resource.split(":::")[1]])).toEqual([
      ["s3:GetObject", `${world.bucket}/${STAGE_REPORT_KEY}`],
      ["s3:ListBucket", world.bucket],
      ["s3:GetObject", `${world.bucket}/${STAGE_REPORT_KEY}`],
      ["s3:GetObject", `${world.bucket}/${STAGE_REPORT_KEY}`],
    ]);
    expectClean(
      await checkContract("Operator", policy.statements, recorder.calls, ACCEPTED_UNUSED),
    );
  });
});
