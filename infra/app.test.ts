import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FORECAST_FEED } from "../packages/core/src/capacity/forecast-series.ts";
import { parseCompiledSloDefinitions } from "../packages/core/src/definitions/index.ts";
import { evaluatorNotifiesConditions } from "../packages/core/src/monitoring/alarms.ts";
import { canaryName } from "../packages/core/src/monitoring/names.ts";
import { STAGE_REPORT_KEY } from "../packages/core/src/stage-report/model.ts";
import { shardResultKey } from "../packages/functions/src/runtime/shard-results.ts";
import { FLEET, resolveStage } from "../stacks/index.ts";
import { metricsProfile } from "../stacks/profile.ts";
// Dev mode, canary code retention, job retries and dead-letter queue (issue 8, items 2, 3, 5).
import { CANARY_CODE_KEY } from "./canaries.ts";
import { DEAD_LETTER_RETENTION_SECONDS, JOB_RETRIES, maximumRunAgeSeconds } from "./dead-letter.ts";
import {
  COMPILED_DEFINITIONS_FILE,
  INGESTION_DELAY_MINUTES,
  JOB_HANDLERS,
  stepSchedule,
} from "./jobs.ts";
import { bundleEvaluator, evaluateStage } from "./testing/bundle.ts";
import type { IamStatement } from "./testing/iam-json.ts";
import type { ResourceRecord } from "./testing/mocks.ts";
import { MOCK_ACCOUNT } from "./testing/mocks.ts";
import type { PlanOutput } from "./testing/plan-types.ts";
import { devModeChanges, summarizePlan } from "./testing/summary.ts";

const root = path.resolve(import.meta.dirname, "..");
const STAGES = ["dev", "staging", "production"] as const;
const plans = new Map<string, PlanOutput>();
/** The same stages evaluated as `sst dev` does (`$dev === true`). */
const devPlans = new Map<string, PlanOutput>();

beforeAll(async () => {
  // Throws PlatformMissingError naming `pnpm --silent sst:install` when .sst/platform is absent.
  const entry = await bundleEvaluator(root);
  const results = await Promise.all([
    ...STAGES.map((s) => evaluateStage(root, entry, s)),
    ...STAGES.map((s) => evaluateStage(root, entry, s, { dev: true })),
  ]);
  for (const plan of results) (plan.dev ? devPlans : plans).set(plan.stage, plan);
}, 170_000);

const of = (plan: PlanOutput, type: string): ResourceRecord[] =>
  plan.resources.filter((r) => r.type === type);

/**
 * The metrics an alarm reads, whichever shape it is declared in: metric queries (metric
 * math, the generated alarms) or a single metric (the dead-letter queue's depth).
 */
function alarmQueries(a: ResourceRecord): { metric?: MetricStatInput; expression?: string }[] {
  const queries = a.inputs.metricQueries as { metric?: MetricStatInput }[] | undefined;
  if (queries) return queries;
  return [
    {
      metric: {
        namespace: String(a.inputs.namespace),
        metricName: String(a.inputs.metricName),
        dimensions: (a.inputs.dimensions ?? {}) as Record<string, string>,
      } as MetricStatInput,
    },
  ];
}

function statementsOf(plan: PlanOutput): IamStatement[] {
  const docs: string[] = [];
  for (const role of of(plan, "aws:iam/role:Role")) {
    for (const p of (role.inputs.inlinePolicies as { policy?: string }[] | undefined) ?? []) {
      if (p.policy) docs.push(p.policy);
    }
  }
  for (const p of of(plan, "aws:iam/rolePolicy:RolePolicy")) docs.push(String(p.inputs.policy));
  return docs.flatMap((d) => (JSON.parse(d) as { Statement: IamStatement[] }).Statement);
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

describe.each(STAGES)("stage %s under Pulumi mocks", (stage) => {
  const plan = () => plans.get(stage)!;
  const { profile } = resolveStage(stage);

  it("spans the profile's AZs with public+private subnets and one NAT per AZ", () => {
    const subnets = of(plan(), "aws:ec2/subnet:Subnet");
    expect(subnets).toHaveLength(2 * profile.network.azs);
    expect(new Set(subnets.map((s) => s.inputs.availabilityZone)).size).toBe(profile.network.azs);
    const nats =
      profile.network.nat === "managed"
        ? of(plan(), "aws:ec2/natGateway:NatGateway")
        : of(plan(), "aws:ec2/instance:Instance");
    expect(nats).toHaveLength(profile.network.azs);
  });

  it("enables Container Insights (enhanced) on the cluster", () => {
    const [cluster] = of(plan(), "aws:ecs/cluster:Cluster");
    expect(cluster?.inputs.settings).toEqual([{ name: "containerInsights", value: "enhanced" }]);
  });

  it("runs ten services on one ALB with health-checked target groups and rollback", () => {
    expect(of(plan(), "aws:lb/loadBalancer:LoadBalancer")).toHaveLength(1);
    const services = of(plan(), "aws:ecs/service:Service");
    expect(services.map((s) => s.inputs.name).sort()).toEqual(FLEET.map((f) => f.name).sort());
    const alarmNames = new Set(
      of(plan(), "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => String(a.inputs.name)),
    );
    for (const s of services) {
      expect(s.inputs.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
      // Deployment alarms: the canary and page burn alarms fail and roll back a deploy.
      const deploy = s.inputs.alarms as {
        alarmNames: string[];
        enable: boolean;
        rollback: boolean;
      };
      expect(deploy).toMatchObject({ enable: true, rollback: true });
      expect(deploy.alarmNames).toContain(`slo-${stage}-${String(s.inputs.name)}-canary-failing`);
      expect(deploy.alarmNames.length).toBeGreaterThanOrEqual(2);
      for (const n of deploy.alarmNames) expect(alarmNames.has(n), n).toBe(true);
      expect(s.inputs.availabilityZoneRebalancing).toBe("ENABLED");
    }
    const groups = of(plan(), "aws:lb/targetGroup:TargetGroup");
    expect(groups).toHaveLength(10);
    const ports = groups.map((g) => g.inputs.port).sort();
    expect(ports).toEqual(FLEET.map((f) => f.port).sort());
    for (const g of groups) {
      expect(g.inputs.healthCheck).toMatchObject({
        path: "/health",
        interval: 10,
        healthyThreshold: 3,
      });
      expect(g.inputs.loadBalancingCrossZoneEnabled).toBe("true");
    }
    const priorities = of(plan(), "aws:lb/listenerRule:ListenerRule").map((r) => r.inputs.priority);
    expect(new Set(priorities).size).toBe(10);
  });

  it("declares CPU, memory, request-count and predictive scaling per service", () => {
    const targets = of(plan(), "aws:appautoscaling/target:Target");
    expect(targets).toHaveLength(10);
    for (const t of targets) {
      expect(Number(t.inputs.minCapacity)).toBeGreaterThanOrEqual(profile.capacity.minTasksFloor);
      expect(Number(t.inputs.maxCapacity)).toBeGreaterThanOrEqual(Number(t.inputs.minCapacity));
    }
    const policies = of(plan(), "aws:appautoscaling/policy:Policy");
    const tracked = policies
      .filter((p) => p.inputs.policyType === "TargetTrackingScaling")
      .map((p) => p.inputs.targetTrackingScalingPolicyConfiguration as Record<string, unknown>);
    const types = tracked.map(
      (c) =>
        (c.predefinedMetricSpecification as { predefinedMetricType: string } | undefined)
          ?.predefinedMetricType,
    );
    for (const t of [
      "ECSServiceAverageCPUUtilization",
      "ECSServiceAverageMemoryUtilization",
      "ALBRequestCountPerTarget",
    ]) {
      expect(types.filter((x) => x === t)).toHaveLength(10);
    }
    for (const c of tracked) {
      expect(c).toMatchObject({ scaleInCooldown: 300, scaleOutCooldown: 60 });
    }
    const labels = tracked
      .map(
        (c) =>
          (c.predefinedMetricSpecification as { resourceLabel?: string } | undefined)
            ?.resourceLabel,
      )
      .filter((label): label is string => label !== undefined);
    expect(labels).toHaveLength(10);
    for (const label of labels) {
      expect(label).toMatch(/^app\/[^/]+\/[^/]+\/targetgroup\/[^/]+\/[^/]+$/);
    }
    const predictive = policies.filter((p) => p.inputs.policyType === "PredictiveScaling");
    expect(predictive).toHaveLength(10);
    // AWS forecasts observed load: the ALBRequestCount pair on the same target group the
    // request-count tracking policy reads, never our PredictedLoad.
    for (const p of predictive) {
      const cfg = p.inputs.predictiveScalingPolicyConfiguration as {
        mode: string;
        metricSpecifications: {
          targetValue: string;
          predefinedMetricPairSpecification?: {
            predefinedMetricType: string;
            resourceLabel: string;
          };
        }[];
      };
      expect(cfg.mode).toBe(profile.capacity.predictiveMode);
      expect(JSON.stringify(cfg)).not.toContain("PredictedLoad");
      const [spec] = cfg.metricSpecifications;
      expect(spec?.predefinedMetricPairSpecification?.predefinedMetricType).toBe("ALBRequestCount");
      expect(labels).toContain(spec?.predefinedMetricPairSpecification?.resourceLabel);
      const fleet = FLEET.find((f) => String(p.inputs.name) === `${f.name}-predictive`);
      expect(spec?.targetValue).toBe(String(fleet?.scaling.requestsPerTarget));
    }
    expect(
      new Set(
        predictive.map(
          (p) =>
            (
              p.inputs.predictiveScalingPolicyConfiguration as {
                metricSpecifications: {
                  predefinedMetricPairSpecification: { resourceLabel: string };
                }[];
              }
            ).metricSpecifications[0]?.predefinedMetricPairSpecification.resourceLabel,
        ),
      ).size,
    ).toBe(10);
    // Our forecast drives its own tracking policy: PredictedLoad per running task at the
    // same per-task capacity (requestsPerTarget) as the request-count policy.
    const forecast = policies.filter((p) => String(p.inputs.name).endsWith("-forecast"));
    expect(forecast).toHaveLength(10);
    for (const p of forecast) {
      const fleet = FLEET.find((f) => p.inputs.name === `${f.name}-forecast`)!;
      const cfg = p.inputs.targetTrackingScalingPolicyConfiguration as {
        targetValue: number;
        disableScaleIn: boolean;
        customizedMetricSpecification: {
          metrics: {
            id: string;
            expression?: string;
            metricStat?: { metric: Record<string, unknown> };
          }[];
        };
      };
      expect(cfg.targetValue).toBe(fleet.scaling.requestsPerTarget);
      expect(cfg.disableScaleIn).toBe(false);
      const metrics = cfg.customizedMetricSpecification.metrics;
      expect(metrics.find((m) => m.id === "forecast")?.metricStat?.metric).toMatchObject({
        namespace: "Custom/ECS",
        metricName: "PredictedLoad",
        dimensions: [
          { name: "Stage", value: plan().stage },
          { name: "Service", value: fleet.name },
        ],
      });
      expect(metrics.find((m) => m.id === "per_task")?.expression).toBe("forecast / tasks");
    }
  });

  it("runs predicted-load exactly as often as each run's PredictedLoad minutes last", () => {
    // The job publishes FORECAST_FEED.everyMs of minutes per run: a slower schedule would
    // leave the forecast policy's alarms without data, a faster one would overlap them.
    const [count, unit] = profile.jobs.predictedLoadEvery.split(" ");
    expect(unit).toMatch(/^minutes?$/);
    expect(Number(count) * 60_000).toBe(FORECAST_FEED.everyMs);
  });

  it("schedules each Lambda once on Node 24 with the WIRING handlers", () => {
    const schedules = of(plan(), "aws:scheduler/schedule:Schedule");
    expect(schedules.map((s) => s.inputs.scheduleExpression).sort()).toEqual(
      [
        // The evaluator runs 2 minutes after the calculator, in its step, to reuse its rollups.
        stepSchedule(profile.jobs.burnRateEvaluatorEvery, INGESTION_DELAY_MINUTES + 2),
        `rate(${profile.jobs.predictedLoadEvery})`,
        stepSchedule(profile.jobs.sloCalculatorEvery, INGESTION_DELAY_MINUTES),
      ].sort(),
    );
    const fns = of(plan(), "aws:lambda/function:Function");
    expect(fns).toHaveLength(3);
    for (const f of fns) expect(f.inputs.runtime).toBe("nodejs24.x");
    expect(
      plan()
        .builds.map((b) => b.handler)
        .sort(),
    ).toEqual(Object.values(JOB_HANDLERS).sort());
  });

  it("ships the jobs the definitions compiled from slos/, not the YAML", () => {
    for (const f of of(plan(), "aws:lambda/function:Function")) {
      const env = (f.inputs.environment as { variables?: Record<string, string> }).variables;
      expect(env?.SLO_DEFINITIONS_FILE).toBe(COMPILED_DEFINITIONS_FILE);
    }
    const compiled = readFileSync(
      path.join(root, ".sst", "slo-platform", COMPILED_DEFINITIONS_FILE),
      "utf8",
    );
    const slos = parseCompiledSloDefinitions(compiled, COMPILED_DEFINITIONS_FILE);
    expect(slos).toHaveLength(41);
  });

  it("runs one canary per service on a Node runtime with expiring artifacts", () => {
    const canaries = of(plan(), "aws:synthetics/canary:Canary");
    expect(canaries).toHaveLength(10);
    for (const c of canaries) {
      expect(String(c.inputs.runtimeVersion)).toMatch(/^syn-nodejs-/);
      expect(String(c.inputs.name).length).toBeLessThanOrEqual(21);
    }
    // Named per stage (two stages can share an account), and the alarms watch those names.
    const names = canaries.map((c) => String(c.inputs.name)).sort();
    expect(names).toEqual(FLEET.map((s) => canaryName(s.name, stage)).sort());
    const watched = of(plan(), "aws:cloudwatch/metricAlarm:MetricAlarm")
      .filter((a) => (a.inputs.tags as Record<string, string>).AlarmKind === "canary")
      .flatMap((a) => alarmQueries(a).map((q) => q.metric?.dimensions?.CanaryName))
      .sort();
    expect(watched).toEqual(names);
    const lifecycles = of(
      plan(),
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    );
    const expiring = lifecycles.filter((l) =>
      (l.inputs.rules as { expiration?: { days?: number } }[]).some(
        (r) => r.expiration?.days === profile.canaries.artifactRetentionDays,
      ),
    );
    expect(expiring).toHaveLength(1);
  });

  it("creates burn alarms as the metrics profile allows, routed by severity", () => {
    const alarms = of(plan(), "aws:cloudwatch/metricAlarm:MetricAlarm");
    const kind = (a: ResourceRecord) => (a.inputs.tags as Record<string, string>).AlarmKind;
    const full = metricsProfile(profile) === "full";
    const burn = alarms.filter((a) => kind(a) === "burn-rate");
    const state = alarms.filter((a) => kind(a) === "alert-state");
    if (full) {
      expect(burn).toHaveLength(41 * 4);
      expect(
        [...new Set(burn.map((a) => a.inputs.threshold))].sort((a, b) => Number(a) - Number(b)),
      ).toEqual([1, 3, 6, 14.4]);
      for (const a of burn) {
        const queries = a.inputs.metricQueries as {
          metric?: { metricName: string; dimensions: Record<string, string> };
        }[];
        const windows = queries
          .filter((q) => q.metric?.metricName === "BurnRate")
          .map((q) => q.metric!.dimensions.Window);
        expect(new Set(windows).size).toBe(2);
      }
    } else {
      // Minimal: no alarm reads a metric per objective (none is published); one silent
      // alarm per service on its AlertState, which is also its deployment guard.
      expect(burn).toHaveLength(0);
      expect(state).toHaveLength(FLEET.length);
      for (const a of state) {
        const [q, ...rest] = alarmQueries(a);
        expect(rest).toEqual([]);
        expect(q?.metric).toMatchObject({
          namespace: "Custom/SLO",
          metricName: "AlertState",
          dimensions: { Stage: stage, Service: (a.inputs.tags as Record<string, string>).Service },
        });
        expect(Object.keys(q?.metric?.dimensions ?? {}).sort()).toEqual(["Service", "Stage"]);
        expect(a.inputs).toMatchObject({
          threshold: 2,
          treatMissingData: "notBreaching",
          actionsEnabled: false,
        });
      }
      const read = alarms.flatMap((a) =>
        alarmQueries(a).flatMap((q) => (q.metric ? [q.metric] : [])),
      );
      expect(read.filter((m) => m.namespace === "Custom/SLO" && "SLO" in m.dimensions)).toEqual([]);
      for (const s of of(plan(), "aws:ecs/service:Service")) {
        expect((s.inputs.alarms as { alarmNames: string[] }).alarmNames).toEqual([
          `slo-${stage}-${String(s.inputs.name)}-canary-failing`,
          `slo-${stage}-${String(s.inputs.name)}-alert-state`,
        ]);
      }
    }
    const kinds = new Set(alarms.map(kind));
    // minimal (the evaluator pages): it tickets budget-exhausted and no-data itself.
    const conditionAlarms = !evaluatorNotifiesConditions(
      metricsProfile(profile),
      profile.alerts.pager === "evaluator",
    );
    expect(kinds).toEqual(
      new Set([
        full ? "burn-rate" : "alert-state",
        ...(conditionAlarms ? ["budget-exhausted", "no-data"] : []),
        "canary",
        "job-errors",
        "job-heartbeat",
        "job-unit-errors",
        "dead-letter",
        // full only: per-service page conditions for a service with more page tier alarms
        // than a deployment watches (minimal's per-service alarm always fits).
        ...(full && kinds.has("deployment") ? ["deployment"] : []),
      ]),
    );
    const topics = of(plan(), "aws:sns/topic:Topic");
    expect(topics).toHaveLength(2);
    // The first page alarm that notifies (minimal's per-service alarms are silent).
    const pageAlarm = [...burn, ...state, ...alarms.filter((a) => kind(a) === "canary")].find(
      (a) =>
        (a.inputs.tags as Record<string, string>).Severity === "page" &&
        a.inputs.actionsEnabled === true,
    )!;
    const pageAction = String((pageAlarm.inputs.alarmActions as string[])[0]);
    expect(pageAction).toContain(
      profile.alerts.route.page === "page" ? "AlertsPage" : "AlertsTicket",
    );
    const fns = of(plan(), "aws:lambda/function:Function");
    for (const f of fns) {
      const env = (f.inputs.environment as { variables: Record<string, string> }).variables;
      expect(env.SLO_METRICS).toBe(metricsProfile(profile));
    }
  });

  it("lets exactly one of the evaluator and the tier alarms notify a burn", () => {
    const alarms = of(plan(), "aws:cloudwatch/metricAlarm:MetricAlarm");
    const evaluatorPages = profile.alerts.pager === "evaluator";
    for (const a of alarms) {
      const burn = ["burn-rate", "alert-state"].includes(
        (a.inputs.tags as Record<string, string>).AlarmKind ?? "",
      );
      const deployGuard = (a.inputs.tags as Record<string, string>).AlarmKind === "deployment";
      expect(a.inputs.actionsEnabled).toBe(deployGuard ? false : burn ? !evaluatorPages : true);
    }
    const evaluator = of(plan(), "aws:lambda/function:Function").find((f) =>
      String(f.name).includes("BurnRateEvaluator"),
    );
    expect(evaluator).toBeDefined();
    const { variables } = evaluator!.inputs.environment as { variables: Record<string, string> };
    expect(variables.SLO_NOTIFY).toBe(String(evaluatorPages));
  });

  it("watches every job (Errors, heartbeat, JobErrors) on the page topic, whoever pages burns", () => {
    const alarms = of(plan(), "aws:cloudwatch/metricAlarm:MetricAlarm");
    const tagged = (a: ResourceRecord) => a.inputs.tags as Record<string, string>;
    const jobAlarms = alarms.filter((a) => tagged(a).AlarmKind?.startsWith("job-"));
    expect(jobAlarms).toHaveLength(3 * 3);
    const pageTopic = profile.alerts.route.page === "page" ? "AlertsPage" : "AlertsTicket";
    for (const a of jobAlarms) {
      expect(a.inputs.actionsEnabled).toBe(true);
      expect(String((a.inputs.alarmActions as string[])[0])).toContain(pageTopic);
    }
    const fns = of(plan(), "aws:lambda/function:Function");
    const queried = (kind: string) =>
      jobAlarms
        .filter((a) => tagged(a).AlarmKind === kind)
        .map((a) => alarmQueries(a)[0]!.metric as MetricStatInput);
    // Errors of each real function...
    expect(
      queried("job-errors")
        .map((m) => m.dimensions.FunctionName)
        .sort(),
    ).toEqual(fns.map((f) => String(f.inputs.name ?? f.name)).sort());
    // ...and the job metrics exactly as each function's Powertools publishes them.
    const published = fns.map((f) => {
      const env = (f.inputs.environment as { variables: Record<string, string> }).variables;
      return `${env.POWERTOOLS_METRICS_NAMESPACE}|${env.POWERTOOLS_SERVICE_NAME}|${env.SLO_STAGE}`;
    });
    for (const kind of ["job-heartbeat", "job-unit-errors"]) {
      const read = queried(kind).map(
        (m) => `${m.namespace}|${m.dimensions.service}|${m.dimensions.Stage}`,
      );
      expect(read.sort()).toEqual([...published].sort());
    }
    for (const f of fns) {
      const env = (f.inputs.environment as { variables: Record<string, string> }).variables;
      expect(env.SLO_STAGE).toBe(stage);
    }
  });

  it("grants no wildcard actions and no unconditioned PutMetricData", () => {
    const statements = statementsOf(plan());
    expect(statements.length).toBeGreaterThan(10);
    for (const s of statements) {
      for (const action of list(s.Action)) {
        expect(action === "*" || action.endsWith(":*"), `wildcard action ${action}`).toBe(false);
      }
      if (list(s.Action).includes("cloudwatch:PutMetricData")) {
        expect(s.Condition?.StringEquals?.["cloudwatch:namespace"]).toBeDefined();
      }
    }
  });
});

interface MetricStatInput {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/**
 * Every custom metric identity a planned stage refers to: alarm queries, dashboard
 * widgets and the predictive scaling policies' `Custom/*` metrics.
 */
function customMetricIdentities(plan: PlanOutput): { stage: string; ids: Set<string> } {
  const ids = new Set<string>();
  const stages = new Set<string>();
  const add = (namespace: string, name: string, dims: Record<string, string>) => {
    if (!namespace.startsWith("Custom/")) return;
    stages.add(String(dims.Stage));
    ids.add(`${namespace}|${name}|${JSON.stringify(Object.entries(dims).sort())}`);
  };
  for (const a of of(plan, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
    for (const q of alarmQueries(a)) {
      if (q.metric) add(q.metric.namespace, q.metric.metricName, q.metric.dimensions);
    }
  }
  for (const d of of(plan, "aws:cloudwatch/dashboard:Dashboard")) {
    const body = JSON.parse(String(d.inputs.dashboardBody)) as {
      widgets: { properties: { metrics?: unknown[][] } }[];
    };
    for (const w of body.widgets) {
      for (const m of w.properties.metrics ?? []) {
        // ["Namespace", "Metric", "Dim1", "v1", ..., {options}] (expressions have no namespace)
        const parts = m.filter((x): x is string => typeof x === "string");
        if (parts.length < 2) continue;
        const dims: Record<string, string> = {};
        for (let i = 2; i + 1 < parts.length; i += 2) dims[parts[i]!] = parts[i + 1]!;
        add(parts[0]!, parts[1]!, dims);
      }
    }
  }
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (typeof o.namespace === "string" && typeof o.metricName === "string" && o.dimensions) {
      const dims = Object.fromEntries(
        (o.dimensions as { name: string; value: string }[]).map((x) => [x.name, x.value]),
      );
      add(o.namespace, o.metricName, dims);
    }
    for (const v of Object.values(o)) visit(v);
  };
  for (const p of of(plan, "aws:appautoscaling/policy:Policy")) {
    visit(p.inputs.predictiveScalingPolicyConfiguration);
  }
  expect(stages.size).toBe(1);
  return { stage: [...stages][0]!, ids };
}

describe("two stages in one account and region", () => {
  it("refer to disjoint custom metrics, each carrying its own Stage", () => {
    const a = customMetricIdentities(plans.get("dev")!);
    const b = customMetricIdentities(plans.get("production")!);
    expect(a.stage).toBe("dev");
    expect(b.stage).toBe("production");
    // Alarms, dashboards and predictive scaling all read Custom/SLO and Custom/ECS.
    for (const ns of ["Custom/SLO|", "Custom/ECS|"]) {
      expect([...a.ids].some((id) => id.startsWith(ns))).toBe(true);
    }
    expect([...a.ids].filter((id) => b.ids.has(id))).toEqual([]);
  });

  it("declare alarms and dashboards with disjoint names", () => {
    const names = (p: PlanOutput, type: string, key: string) =>
      new Set(of(p, type).map((r) => String(r.inputs[key])));
    for (const [type, key] of [
      ["aws:cloudwatch/metricAlarm:MetricAlarm", "name"],
      ["aws:cloudwatch/dashboard:Dashboard", "dashboardName"],
    ] as const) {
      const dev = names(plans.get("dev")!, type, key);
      const prod = names(plans.get("production")!, type, key);
      expect([...dev].filter((n) => prod.has(n))).toEqual([]);
    }
  });
});

describe("stage differences", () => {
  it("production declares more AZs, NAT gateways and capacity than dev", () => {
    const dev = plans.get("dev")!;
    const prod = plans.get("production")!;
    const subnets = (p: PlanOutput) => of(p, "aws:ec2/subnet:Subnet").length;
    expect(subnets(prod)).toBeGreaterThan(subnets(dev));
    expect(of(prod, "aws:ec2/natGateway:NatGateway").length).toBe(3);
    expect(of(dev, "aws:ec2/natGateway:NatGateway").length).toBe(0);
    const max = (p: PlanOutput) =>
      of(p, "aws:appautoscaling/target:Target").reduce(
        (sum, t) => sum + Number(t.inputs.maxCapacity),
        0,
      );
    expect(max(prod)).toBeGreaterThan(max(dev));
    expect(prod.app).toMatchObject({ removal: "retain", protect: true });
    expect(dev.app).toMatchObject({ removal: "remove", protect: false });
  });
});

/** Per-service resources `sst dev` does not deploy: the service runs locally instead. */
const SERVICE_ONLY = [
  "aws:ecs/service:Service",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:lb/targetGroup:TargetGroup",
  "aws:lb/listenerRule:ListenerRule",
  "aws:appautoscaling/target:Target",
  "aws:appautoscaling/policy:Policy",
  "aws:servicediscovery/service:Service",
  "docker-build:index:Image",
];

const tagsOf = (r: ResourceRecord) => (r.inputs.tags ?? {}) as Record<string, string>;

describe.each(STAGES)("stage %s in dev mode (sst dev)", (stage) => {
  const dev = () => devPlans.get(stage)!;
  const deploy = () => plans.get(stage)!;

  it("plans, and drops only what SST does not deploy for a service in dev mode", () => {
    expect(dev().dev).toBe(true);
    expect(deploy().dev).toBe(false);
    const changes = devModeChanges(summarizePlan(deploy()).byType, summarizePlan(dev()).byType);
    for (const type of SERVICE_ONLY) expect(of(dev(), type), type).toHaveLength(0);
    const fns = of(deploy(), "aws:lambda/function:Function").length;
    expect(changes).toEqual({
      ...Object.fromEntries(SERVICE_ONLY.map((t) => [t, -of(deploy(), t).length])),
      // Each service's execution role and log group; its task role stays for `sst dev`.
      "aws:iam/role:Role": -FLEET.length,
      "aws:cloudwatch/logGroup:LogGroup": -FLEET.length,
      // The jobs share one live bridge bundle instead of one code zip each.
      "aws:s3/bucketObjectv2:BucketObjectv2": -(fns - 1),
    });
  });

  it("runs the three jobs live (local handlers behind deployed stubs), on their schedules", () => {
    expect(dev().builds).toEqual([]);
    expect(
      dev()
        .live.map((t) => t.handler)
        .sort(),
    ).toEqual(Object.values(JOB_HANDLERS).sort());
    for (const target of dev().live) {
      expect(target.copyFiles?.map((f) => f.to)).toEqual([COMPILED_DEFINITIONS_FILE]);
    }
    expect(deploy().live).toEqual([]);
    const appsync = (p: PlanOutput) =>
      of(p, "aws:lambda/function:Function").map(
        (f) =>
          (f.inputs.environment as { variables: Record<string, string> }).variables
            .SST_APPSYNC_HTTP,
      );
    expect(appsync(dev()).every((v) => typeof v === "string" && v.length > 0)).toBe(true);
    expect(appsync(deploy()).every((v) => v === undefined)).toBe(true);
    expect(of(dev(), "aws:scheduler/schedule:Schedule")).toHaveLength(3);
  });

  it("declares the canaries stopped in dev mode and started on deploy", () => {
    const started = (p: PlanOutput) =>
      of(p, "aws:synthetics/canary:Canary").map((c) => c.inputs.startCanary);
    expect(started(dev())).toEqual(FLEET.map(() => false));
    expect(started(deploy())).toEqual(FLEET.map(() => true));
  });

  it("adds only SST's live-bridge grants (AppSync, the asset bucket) as wildcards", () => {
    for (const s of statementsOf(dev())) {
      for (const action of list(s.Action)) {
        if (!(action === "*" || action.endsWith(":*"))) continue;
        expect(["appsync:*", "s3:*"]).toContain(action);
        if (action === "s3:*") {
          for (const r of list(s.Resource)) expect(r).toContain(":::sst-asset-");
        }
      }
    }
  });
});

/** Whether a lifecycle rule's filter (or legacy prefix) selects `key`. */
function ruleApplies(rule: Record<string, unknown>, key: string): boolean {
  const filter = rule.filter as { prefix?: string; and?: { prefix?: string } } | undefined;
  const prefix = filter?.prefix ?? filter?.and?.prefix ?? (rule.prefix as string | undefined);
  return key.startsWith(prefix ?? "");
}

describe.each(STAGES)("stage %s: artifacts and job failures", (stage) => {
  const plan = () => plans.get(stage)!;
  const { profile } = resolveStage(stage);

  it("pins every canary to a code version that no lifecycle rule expires", () => {
    const canaries = of(plan(), "aws:synthetics/canary:Canary");
    expect(canaries).toHaveLength(FLEET.length);
    const lifecycles = of(
      plan(),
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    );
    for (const c of canaries) {
      const bucket = c.inputs.s3Bucket;
      expect(c.inputs.s3Key).toBe(CANARY_CODE_KEY);
      // The mocks, like S3, give a version id only to objects in a versioned bucket.
      expect(String(c.inputs.s3Version ?? "")).not.toBe("");
      const versioning = of(plan(), "aws:s3/bucketVersioning:BucketVersioning").filter(
        (v) => v.inputs.bucket === bucket,
      );
      expect(versioning.map((v) => v.inputs.versioningConfiguration)).toEqual([
        { status: "Enabled" },
      ]);
      const expiring = lifecycles
        .filter((l) => l.inputs.bucket === bucket)
        .flatMap((l) => l.inputs.rules as Record<string, unknown>[])
        .filter((r) => r.status === "Enabled" && r.expiration !== undefined)
        .filter((r) => ruleApplies(r, CANARY_CODE_KEY));
      expect(expiring).toEqual([]);
    }
  });

  it("keeps a replaced stage report a day and a rollup 30, never expiring the current report", () => {
    const rules = of(plan(), "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
      .filter((l) =>
        (l.inputs.rules as Record<string, unknown>[]).some(
          (r) => r.id === "expire-replaced-rollups",
        ),
      )
      .flatMap((l) => l.inputs.rules as Record<string, unknown>[])
      .filter((r) => r.status === "Enabled");
    const noncurrentDays = (key: string) =>
      Math.min(
        ...rules
          .filter((r) => ruleApplies(r, key))
          .map(
            (r) =>
              (r.noncurrentVersionExpiration as { noncurrentDays?: number } | undefined)
                ?.noncurrentDays ?? Number.POSITIVE_INFINITY,
          ),
      );
    // S3 applies the shortest of overlapping expirations.
    expect(noncurrentDays(STAGE_REPORT_KEY)).toBe(1);
    expect(noncurrentDays(shardResultKey(0, "shard-1-of-2"))).toBe(1);
    expect(noncurrentDays("rollups/order-service-availability")).toBe(30);
    const current = rules.filter((r) => r.expiration !== undefined);
    expect(current.some((r) => ruleApplies(r, STAGE_REPORT_KEY))).toBe(false);
  });

  it("retries each job run while younger than its interval, then dead-letters it", () => {
    const queues = of(plan(), "aws:sqs/queue:Queue");
    expect(queues).toHaveLength(1);
    expect(queues[0]!.inputs.messageRetentionSeconds).toBe(DEAD_LETTER_RETENTION_SECONDS);
    const { region, accountId } = MOCK_ACCOUNT;
    const queueArn = `arn:aws:sqs:${region}:${accountId}:${queues[0]!.name}`;
    const every: Record<string, string> = {
      SloCalculator: profile.jobs.sloCalculatorEvery,
      BurnRateEvaluator: profile.jobs.burnRateEvaluatorEvery,
      PredictedLoad: profile.jobs.predictedLoadEvery,
    };
    for (const [component, interval] of Object.entries(every)) {
      const maxAge = maximumRunAgeSeconds(interval);
      const schedule = plan().resources.find((r) => r.name === `${component}Schedule`);
      expect(schedule?.inputs.target).toMatchObject({
        retryPolicy: {
          maximumRetryAttempts: JOB_RETRIES.schedule,
          maximumEventAgeInSeconds: maxAge,
        },
        deadLetterConfig: { arn: queueArn },
      });
      const invoke = plan().resources.find((r) => r.name === `${component}AsyncRetries`);
      expect(invoke?.inputs).toMatchObject({
        maximumRetryAttempts: JOB_RETRIES.lambda,
        maximumEventAgeInSeconds: maxAge,
        destinationConfig: { onFailure: { destination: queueArn } },
      });
      // The scheduler's role sends its failures, the function's role Lambda's.
      for (const roleName of [`${component}Role`, `${component}HandlerRole`]) {
        const role = plan().resources.find(
          (r) => r.type === "aws:iam/role:Role" && r.name === roleName,
        );
        const statements = statementsOf({ ...plan(), resources: role ? [role] : [] });
        const sends = statements.filter((s) => list(s.Action).includes("sqs:SendMessage"));
        expect(
          sends.flatMap((s) => list(s.Resource)),
          roleName,
        ).toEqual([queueArn]);
      }
    }
  });

  it("pages when a failed run reaches the dead-letter queue", () => {
    const alarms = of(plan(), "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
      (a) => tagsOf(a).AlarmKind === "dead-letter",
    );
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!;
    expect(alarm.inputs).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: of(plan(), "aws:sqs/queue:Queue")[0]!.name },
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      actionsEnabled: true,
    });
    const topic = profile.alerts.route.page === "page" ? "AlertsPage" : "AlertsTicket";
    expect(String((alarm.inputs.alarmActions as string[])[0])).toContain(topic);
  });
});
