import { resolve } from "node:path";
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  GetPredictiveScalingForecastCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import {
  buildStageReport,
  encodeStageReport,
  STAGE_REPORT_KEY,
  type StageReportFailure,
  type StageReportObjective,
} from "@slo/core/stage-report";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { declareStage } from "../doctor/declaration.ts";
import { loadDefinitions } from "../sources.ts";
import { recordIo } from "../testing/record-io.ts";
import { runWith } from "./doctor.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const STAGE = "production";
const CLUSTER = "slo-production-cluster";
const BUCKET = "slo-platform-production-rollupsbucket-a1b2c3";
const STEP_MS = 300_000;
const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const PAGE_TOPIC = "arn:aws:sns:eu-west-1:111122223333:AlertsPageTopic-a1b2c3d";
const TICKET_TOPIC = "arn:aws:sns:eu-west-1:111122223333:AlertsTicketTopic-e4f5a6b";
const tgArn = (s: string) =>
  `arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/${s}/abc`;

type Declared = ReturnType<typeof declareStage>;

/** A deployed production stage that is exactly what it declares; cases break one thing. */
function healthyWorld(d: Declared) {
  const decl = d.declaration;
  return {
    services: decl.services.map((s) => ({
      serviceName: s.name,
      status: "ACTIVE",
      runningCount: s.minTasks,
      desiredCount: s.minTasks,
      deployments: [{ status: "PRIMARY", rolloutState: "COMPLETED" }] as Array<
        Record<string, string>
      >,
      loadBalancers: [{ targetGroupArn: tgArn(s.name) }],
    })),
    missing: [] as string[],
    zonesOf: (_service: string, k: number) => ZONES[k % ZONES.length] as string,
    targetGroups: new Map(
      decl.services.map((s) => [
        tgArn(s.name),
        {
          path: s.healthPath,
          targets: Array.from({ length: s.minTasks }, (_, k) => ({
            id: `10.0.${k}.1`,
            state: "healthy",
          })),
        },
      ]),
    ),
    scalable: new Map(
      decl.services.map((s) => [
        `service/${CLUSTER}/${s.name}`,
        {
          min: s.minTasks,
          max: s.maxTasks,
          suspended: { in: false, out: false, sched: false },
          policies: [
            ...["cpu", "memory", "requests"].map((m) => ({
              name: `${s.name}-${m}`,
              type: "TargetTrackingScaling",
            })),
            { name: s.predictivePolicy, type: "PredictiveScaling" },
          ],
          activities: [
            {
              at: NOW - 3_600_000,
              status: "Successful",
              cause: "monitor alarm TargetTracking",
              description: "Setting desired count to 4.",
            },
          ],
          forecast: 24,
        },
      ]),
    ),
    alarms: decl.alarms.map((a) => ({
      AlarmName: a.name,
      StateValue: "OK",
      StateUpdatedTimestamp: new Date(NOW - 86_400_000),
      ActionsEnabled: a.actionsEnabled,
      AlarmActions: a.topic === "page" ? [PAGE_TOPIC] : a.topic === "ticket" ? [TICKET_TOPIC] : [],
    })),
    /** Datapoints per query id, newest first. */
    metric: (id: string): Array<[number, number]> => {
      if (/^job\d+units$/.test(id))
        return [
          [NOW - 120_000, 3],
          [NOW - 420_000, 3],
        ];
      if (/^job\d+errors$/.test(id)) return [[NOW - 120_000, 0]];
      if (id === "dlq") return [[NOW - 300_000, 0]];
      if (id.startsWith("canary"))
        return [0, 1, 2, 3].map((k) => [NOW - 60_000 - k * 300_000, 100]);
      return [];
    },
    /** The stage report the evaluator last wrote: its rows, or what S3 answers instead. */
    report: {
      stage: STAGE,
      evaluatedAtMs: Math.floor(NOW / STEP_MS) * STEP_MS,
      objectives: decl.budgets.map(
        (b): StageReportObjective => ({
          service: b.service,
          slo: b.slo,
          objective: b.objective,
          target: 0.99,
          sli: 0.998,
          budgetRemaining: 0.8,
          alertState: 0,
        }),
      ),
      failed: [] as StageReportFailure[],
    },
    reportAnswer: undefined as { body: string } | { error: Error } | undefined,
  };
}
type World = ReturnType<typeof healthyWorld>;

const ecs = new ECSClient({ region: "eu-west-1" });
const elb = new ElasticLoadBalancingV2Client({ region: "eu-west-1" });
const autoScaling = new ApplicationAutoScalingClient({ region: "eu-west-1" });
const cloudWatch = new CloudWatchClient({ region: "eu-west-1" });
const s3 = new S3Client({ region: "eu-west-1" });
const mocks = [
  mockClient(ecs),
  mockClient(elb),
  mockClient(autoScaling),
  mockClient(cloudWatch),
  mockClient(s3),
] as const;

const s3Error = (name: string, status: number, message: string) =>
  new S3ServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
    message,
  });

function serve(world: World) {
  const [ecsMock, elbMock, aasMock, cwMock, s3Mock] = mocks;
  s3Mock.on(GetObjectCommand).callsFake((input) => {
    // The operator policy grants reports/* of the stage's bucket, nothing else.
    if (input.Bucket !== BUCKET || input.Key !== STAGE_REPORT_KEY) {
      throw s3Error("AccessDenied", 403, "Access Denied");
    }
    const answer = world.reportAnswer ?? {
      body: encodeStageReport(buildStageReport({ ...world.report, stepMs: STEP_MS })),
    };
    if ("error" in answer) throw answer.error;
    const bytes = new TextEncoder().encode(answer.body);
    return { Body: { transformToByteArray: async () => bytes } } as never;
  });
  ecsMock.on(DescribeServicesCommand).callsFake((input) => {
    const names: string[] = input.services ?? [];
    expect(names.length).toBeLessThanOrEqual(10);
    return {
      services: world.services.filter(
        (s) => names.includes(s.serviceName) && !world.missing.includes(s.serviceName),
      ),
      failures: names
        .filter((n) => world.missing.includes(n))
        .map((n) => ({
          arn: `arn:aws:ecs:eu-west-1:1:service/${CLUSTER}/${n}`,
          reason: "MISSING",
        })),
    };
  });
  ecsMock.on(ListTasksCommand).callsFake((input) => {
    const s = world.services.find((x) => x.serviceName === input.serviceName);
    return {
      taskArns: Array.from(
        { length: s?.runningCount ?? 0 },
        (_, k) => `arn:aws:ecs:eu-west-1:1:task/${CLUSTER}/${input.serviceName}-${k}`,
      ),
    };
  });
  ecsMock.on(DescribeTasksCommand).callsFake((input) => {
    expect(input.tasks.length).toBeLessThanOrEqual(100);
    return {
      tasks: input.tasks.map((arn: string) => {
        const [service, k] = (arn.split("/").pop() as string).split(/-(?=\d+$)/) as [
          string,
          string,
        ];
        return {
          taskArn: arn,
          lastStatus: "RUNNING",
          availabilityZone: world.zonesOf(service, Number(k)),
        };
      }),
    };
  });
  elbMock.on(DescribeTargetGroupsCommand).callsFake((input) => ({
    TargetGroups: (input.TargetGroupArns ?? []).flatMap((arn: string) => {
      const tg = world.targetGroups.get(arn);
      return tg ? [{ TargetGroupArn: arn, HealthCheckPath: tg.path }] : [];
    }),
  }));
  elbMock.on(DescribeTargetHealthCommand).callsFake((input) => ({
    TargetHealthDescriptions: (world.targetGroups.get(input.TargetGroupArn)?.targets ?? []).map(
      (t) => ({
        Target: { Id: t.id, Port: 8080 },
        TargetHealth: {
          State: t.state,
          ...(t.state !== "healthy" ? { Reason: "Target.FailedHealthChecks" } : {}),
        },
      }),
    ),
  }));
  aasMock.on(DescribeScalableTargetsCommand).callsFake((input) => ({
    ScalableTargets: (input.ResourceIds ?? []).flatMap((id: string) => {
      const t = world.scalable.get(id);
      return t
        ? [
            {
              ResourceId: id,
              MinCapacity: t.min,
              MaxCapacity: t.max,
              SuspendedState: {
                DynamicScalingInSuspended: t.suspended.in,
                DynamicScalingOutSuspended: t.suspended.out,
                ScheduledScalingSuspended: t.suspended.sched,
              },
            },
          ]
        : [];
    }),
  }));
  aasMock.on(DescribeScalingPoliciesCommand).callsFake((input) => ({
    ScalingPolicies: (world.scalable.get(input.ResourceId)?.policies ?? []).map((p) => ({
      PolicyName: p.name,
      PolicyType: p.type,
    })),
  }));
  aasMock.on(DescribeScalingActivitiesCommand).callsFake((input) => ({
    ScalingActivities: (world.scalable.get(input.ResourceId)?.activities ?? []).map((a) => ({
      StartTime: new Date(a.at),
      StatusCode: a.status,
      Cause: a.cause,
      Description: a.description,
    })),
  }));
  aasMock.on(GetPredictiveScalingForecastCommand).callsFake((input) => {
    const n = world.scalable.get(input.ResourceId)?.forecast ?? 0;
    return {
      CapacityForecast: {
        Timestamps: Array.from({ length: n }, (_, k) => new Date(NOW + k * 3_600_000)),
        Values: [],
      },
    };
  });
  cwMock.on(DescribeAlarmsCommand).callsFake((input) => {
    expect(input.AlarmNamePrefix).toBe(`slo-${STAGE}-`);
    return { MetricAlarms: world.alarms };
  });
  cwMock.on(GetMetricDataCommand).callsFake((input) => {
    expect(input.MetricDataQueries.length).toBeLessThanOrEqual(500);
    return {
      MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => {
        const pts = world.metric(q.Id);
        return {
          Id: q.Id,
          StatusCode: "Complete",
          Timestamps: pts.map(([t]) => new Date(t)),
          Values: pts.map(([, v]) => v),
        };
      }),
    };
  });
}

let declared: Declared;
beforeEach(async () => {
  for (const m of mocks) m.reset();
  declared = declareStage(STAGE, CLUSTER, await loadDefinitions([], ROOT), 0);
});
afterEach(() => {
  for (const m of mocks) m.reset();
});

async function doctor(world: World, extra: string[] = []) {
  serve(world);
  const r = recordIo(ROOT);
  const code = await runWith(
    ["--stage", STAGE, "--cluster", CLUSTER, "--bucket", BUCKET, "--json", ...extra],
    r.io,
    { clients: { ecs, elb, autoScaling, cloudWatch }, s3, nowMs: NOW },
  );
  const doc = JSON.parse(r.out()) as {
    healthy: boolean;
    results: Array<{
      check: string;
      status: string;
      subject: string;
      message: string;
      fix?: string;
    }>;
  };
  return { code, doc, problems: doc.results.filter((x) => x.status !== "pass") };
}

const first = <T>(m: Map<string, T>) => m.values().next().value as T;

describe("slo doctor: an all-green stage", () => {
  it("passes every check, exits 0, and batches its AWS calls", async () => {
    const { code, doc, problems } = await doctor(healthyWorld(declared));
    expect(problems).toEqual([]);
    expect(code).toBe(0);
    expect(doc.healthy).toBe(true);
    expect(new Set(doc.results.map((r) => r.check))).toEqual(
      new Set([
        "services",
        "target-groups",
        "scaling",
        "jobs",
        "alarms",
        "canaries",
        "stage-report",
        "budgets",
      ]),
    );
    const [ecsMock, , , cwMock, s3Mock] = mocks;
    // ten services: one DescribeServices; every freshness metric in one GetMetricData
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(cwMock.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(cwMock.commandCalls(DescribeAlarmsCommand)).toHaveLength(1);
    // every budget from the one stage report the gate reads
    expect(s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: STAGE_REPORT_KEY },
    ]);
    // the per-service calls the APIs do not batch dominate: 57 here, 58 with two alarm pages
    const total = mocks.reduce((n, m) => n + m.calls().length, 0);
    expect(total).toBe(57);
  });

  it("prints a checklist with ✓ per line", async () => {
    serve(healthyWorld(declared));
    const r = recordIo(ROOT);
    expect(
      await runWith(["--stage", STAGE, "--cluster", CLUSTER, "--bucket", BUCKET], r.io, {
        clients: { ecs, elb, autoScaling, cloudWatch },
        s3,
        nowMs: NOW,
      }),
    ).toBe(0);
    expect(r.out()).toMatch(/^services\n {2}✓ /m);
    expect(r.out()).toMatch(/stage production: healthy/);
  });
});

type Case = [
  name: string,
  check: string,
  status: "fail" | "warn",
  message: RegExp,
  breakIt: (w: World) => void,
  extra?: string[],
];

const CASES: Case[] = [
  [
    "service missing",
    "services",
    "fail",
    /not found in cluster/,
    (w) => w.missing.push("payment-service"),
  ],
  [
    "service not ACTIVE",
    "services",
    "fail",
    /status DRAINING/,
    (w) => {
      (w.services[0] as { status: string }).status = "DRAINING";
    },
  ],
  [
    "running below desired",
    "services",
    "fail",
    /2 of 3 tasks running/,
    (w) => {
      (w.services[0] as { runningCount: number }).runningCount = 2;
    },
  ],
  [
    "tasks in one zone",
    "services",
    "fail",
    /tasks in 1 zone\(s\), 3 expected/,
    (w) => {
      w.zonesOf = () => "eu-west-1a";
    },
  ],
  [
    "deployment failed",
    "services",
    "fail",
    /last deployment FAILED/,
    (w) => {
      (w.services[0]?.deployments[0] as Record<string, string>).rolloutState = "FAILED";
    },
  ],
  [
    "health check path drifted",
    "target-groups",
    "fail",
    /health check path \/ready, declared \/health/,
    (w) => {
      first(w.targetGroups).path = "/ready";
    },
  ],
  [
    "unhealthy target",
    "target-groups",
    "fail",
    /1 of 3 targets not healthy/,
    (w) => {
      (first(w.targetGroups).targets[0] as { state: string }).state = "unhealthy";
    },
  ],
  [
    "no registered targets",
    "target-groups",
    "fail",
    /no registered targets/,
    (w) => {
      first(w.targetGroups).targets = [];
    },
  ],
  [
    "no target group",
    "target-groups",
    "fail",
    /no target group attached/,
    (w) => {
      (w.services[0] as { loadBalancers: unknown[] }).loadBalancers = [];
    },
  ],
  [
    "scalable target gone",
    "scaling",
    "fail",
    /no scalable target/,
    (w) => {
      w.scalable.delete(w.scalable.keys().next().value as string);
    },
  ],
  [
    "bounds drifted",
    "scaling",
    "fail",
    /min\/max 1\/10, declared 3\/10/,
    (w) => {
      first(w.scalable).min = 1;
    },
  ],
  [
    "policy detached",
    "scaling",
    "fail",
    /2 target-tracking policies, 3 declared/,
    (w) => {
      first(w.scalable).policies.splice(0, 1);
    },
  ],
  [
    "predictive policy missing",
    "scaling",
    "fail",
    /predictive policy .*-predictive missing/,
    (w) => {
      first(w.scalable).policies.pop();
    },
  ],
  [
    "scale-in suspended",
    "scaling",
    "fail",
    /suspended: scaleIn .*last scaling activity 60 min ago/,
    (w) => {
      first(w.scalable).suspended.in = true;
    },
  ],
  [
    "failed activity",
    "scaling",
    "warn",
    /1 failed scaling activity, latest 30 min ago/,
    (w) => {
      first(w.scalable).activities.unshift({
        at: NOW - 1_800_000,
        status: "Failed",
        cause: "cause",
        description: "Setting desired count to 9.",
      });
    },
  ],
  [
    "no forecast",
    "scaling",
    "warn",
    /no forecast yet/,
    (w) => {
      first(w.scalable).forecast = 0;
    },
  ],
  [
    "job stopped publishing",
    "jobs",
    "fail",
    /last published 60 min ago, runs every 5 min/,
    (w) => {
      const m = w.metric;
      w.metric = (id) => (id === "job0units" ? [[NOW - 3_600_000, 3]] : m(id));
    },
  ],
  [
    "job never published",
    "jobs",
    "fail",
    /published nothing in the lookback/,
    (w) => {
      const m = w.metric;
      w.metric = (id) => (id === "job1units" ? [] : m(id));
    },
  ],
  [
    "JobErrors",
    "jobs",
    "fail",
    /JobErrors 2 in the lookback/,
    (w) => {
      const m = w.metric;
      w.metric = (id) => (id === "job2errors" ? [[NOW - 60_000, 2]] : m(id));
    },
  ],
  [
    "dead letters",
    "jobs",
    "fail",
    /4 failed job run\(s\) waiting/,
    (w) => {
      const m = w.metric;
      w.metric = (id) => (id === "dlq" ? [[NOW - 60_000, 4]] : m(id));
    },
  ],
  [
    "alarm deleted",
    "alarms",
    "fail",
    /declared but missing: slo-production-/,
    (w) => {
      w.alarms.splice(0, 1);
    },
  ],
  [
    "alarm without data",
    "alarms",
    "fail",
    /INSUFFICIENT_DATA since 24 h ago/,
    (w) => {
      (w.alarms[0] as { StateValue: string }).StateValue = "INSUFFICIENT_DATA";
    },
  ],
  [
    "alarm actions disabled",
    "alarms",
    "fail",
    /actions disabled, declared enabled/,
    (w) => {
      const a = w.alarms.find((x) => x.ActionsEnabled) as { ActionsEnabled: boolean };
      a.ActionsEnabled = false;
    },
  ],
  [
    "alarm routed to the wrong topic",
    "alarms",
    "fail",
    /the profile routes it to the page topic/,
    (w) => {
      const a = w.alarms.find((x) => x.AlarmActions[0] === PAGE_TOPIC) as {
        AlarmActions: string[];
      };
      a.AlarmActions = [TICKET_TOPIC];
    },
  ],
  [
    "alarm firing",
    "alarms",
    "warn",
    /in ALARM since/,
    (w) => {
      (w.alarms[0] as { StateValue: string }).StateValue = "ALARM";
    },
  ],
  [
    "canary stopped",
    "canaries",
    "fail",
    /last run 60 min ago|no run in the lookback/,
    (w) => {
      const m = w.metric;
      w.metric = (id) => (id === "canary0" ? [[NOW - 3_600_000, 100]] : m(id));
    },
  ],
  [
    "canary failing",
    "canaries",
    "fail",
    /last run 50% successful \(88% over the last hour\)/,
    (w) => {
      const m = w.metric;
      w.metric = (id) =>
        id === "canary0"
          ? [
              [NOW - 60_000, 50],
              [NOW - 360_000, 100],
              [NOW - 660_000, 100],
              [NOW - 960_000, 100],
            ]
          : m(id);
    },
  ],
  [
    "stage report missing",
    "stage-report",
    "fail",
    /no stage report: the burn-rate evaluator has not written one/,
    (w) => {
      w.reportAnswer = {
        error: new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} }),
      };
    },
  ],
  [
    "stage report stale",
    "stage-report",
    "fail",
    /evaluated at 2026-12-01T11:00:00\.000Z, 1h ago \(older than 2 steps\): the burn-rate evaluator is not running/,
    (w) => {
      w.report.evaluatedAtMs = NOW - 3_600_000;
    },
  ],
  [
    "another stage's report",
    "stage-report",
    "fail",
    /the stage report is stage "staging"'s, not "production"'s/,
    (w) => {
      w.report.stage = "staging";
    },
  ],
  [
    "stage report unreadable (AccessDenied)",
    "stage-report",
    "fail",
    /StageReportReadError: cannot read s3:\/\/\S+\/reports\/stage\.json: s3:GetObject failed: AccessDenied/,
    (w) => {
      w.reportAnswer = { error: s3Error("AccessDenied", 403, "Access Denied") };
    },
  ],
  [
    "stage report not a report",
    "stage-report",
    "fail",
    /StageReportError: s3:\/\/\S+ is stage report version 7/,
    (w) => {
      w.reportAnswer = { body: JSON.stringify({ version: 7 }) };
    },
  ],
  [
    "an SLO the evaluator failed",
    "stage-report",
    "fail",
    /could not evaluate it at 2026-12-01T12:00:00\.000Z: metric missing/,
    (w) => {
      const [first] = w.report.objectives.splice(0, 1);
      w.report.failed.push({ name: first?.slo as string, reason: "metric missing" });
    },
  ],
  [
    "budget under the reserve",
    "budgets",
    "fail",
    /30% of the error budget left, reserve 50%/,
    (w) => {
      (w.report.objectives[0] as { budgetRemaining: number }).budgetRemaining = 0.3;
    },
    ["--min-budget", "0.5"],
  ],
  [
    "budget overspent",
    "budgets",
    "fail",
    /-20% of the error budget left, reserve 0%/,
    (w) => {
      (w.report.objectives[2] as { budgetRemaining: number }).budgetRemaining = -0.2;
    },
  ],
  [
    "objective not in the report",
    "budgets",
    "warn",
    /not in the stage report: /,
    (w) => {
      w.report.objectives.splice(3, 1);
    },
  ],
  [
    "objective without data",
    "budgets",
    "warn",
    /no data in the SLO window: /,
    (w) => {
      (w.report.objectives[1] as { budgetRemaining: number | null }).budgetRemaining = null;
    },
  ],
];

describe("slo doctor: every check's failing path", () => {
  it.each(CASES)("%s", async (_name, check, status, message, breakIt, extra) => {
    const world = healthyWorld(declared);
    breakIt(world);
    const { code, problems } = await doctor(world, extra);
    const hit = problems.find(
      (p) => p.check === check && p.status === status && message.test(p.message),
    );
    expect(hit, JSON.stringify(problems, null, 1)).toBeDefined();
    expect(hit?.fix).toBeTruthy();
    expect(code).toBe(status === "fail" ? 1 : 0);
  });
});

describe("slo doctor: the stage report gates the budgets", () => {
  it("judges no budget from a stale report: stage-report fails, budgets says why it is silent", async () => {
    const world = healthyWorld(declared);
    world.report.evaluatedAtMs = NOW - 3_600_000;
    // A budget that a fresh report would fail: a stale one must not be read at all.
    (world.report.objectives[0] as { budgetRemaining: number }).budgetRemaining = -1;
    const { code, problems } = await doctor(world);
    expect(code).toBe(1);
    expect(problems.map((p) => [p.check, p.status])).toEqual([
      ["stage-report", "fail"],
      ["budgets", "warn"],
    ]);
    expect(problems[1]?.message).toMatch(/not judged: no fresh stage report of this stage/);
  });
});

describe("slo doctor usage", () => {
  it("needs a stage and a cluster, and --help exists", async () => {
    const noStage = recordIo(ROOT);
    const saved = { stage: process.env.SLO_STAGE, cluster: process.env.SLO_CLUSTER };
    delete process.env.SLO_STAGE;
    delete process.env.SLO_CLUSTER;
    try {
      expect(await runCli(["doctor", "--cluster", "c"], noStage.io)).toBe(2);
      expect(noStage.err()).toMatch(/--stage is required/);
      const noCluster = recordIo(ROOT);
      expect(await runCli(["doctor", "--stage", "production"], noCluster.io)).toBe(2);
      expect(noCluster.err()).toMatch(/--cluster is required/);
      const noBucket = recordIo(ROOT);
      const bucketEnv = process.env.SLO_REPORT_BUCKET;
      delete process.env.SLO_REPORT_BUCKET;
      expect(await runCli(["doctor", "--stage", "production", "--cluster", "c"], noBucket.io)).toBe(
        2,
      );
      if (bucketEnv !== undefined) process.env.SLO_REPORT_BUCKET = bucketEnv;
      expect(noBucket.err()).toMatch(
        /slo doctor reads the stage report .*pass --bucket NAME or set SLO_REPORT_BUCKET/,
      );
    } finally {
      if (saved.stage !== undefined) process.env.SLO_STAGE = saved.stage;
      if (saved.cluster !== undefined) process.env.SLO_CLUSTER = saved.cluster;
    }
    const help = recordIo(ROOT);
    expect(await runCli(["doctor", "--help"], help.io)).toBe(0);
    expect(help.out()).toMatch(/Usage: slo doctor --stage NAME --cluster NAME --bucket NAME/);
  });
});
