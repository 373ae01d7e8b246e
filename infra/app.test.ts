import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FORECAST_FEED } from "../packages/core/src/capacity/forecast-series.ts";
import { parseCompiledSloDefinitions } from "../packages/core/src/definitions/index.ts";
import { canaryName } from "../packages/core/src/monitoring/names.ts";
import { FLEET, resolveStage } from "../stacks/index.ts";
import {
  COMPILED_DEFINITIONS_FILE,
  INGESTION_DELAY_MINUTES,
  JOB_HANDLERS,
  stepSchedule,
} from "./jobs.ts";
import { bundleEvaluator, evaluateStage } from "./testing/bundle.ts";
import type { IamStatement } from "./testing/iam-json.ts";
import type { ResourceRecord } from "./testing/mocks.ts";
import type { PlanOutput } from "./testing/plan-types.ts";

const root = path.resolve(import.meta.dirname, "..");
const STAGES = ["dev", "staging", "production"] as const;
const plans = new Map<string, PlanOutput>();

beforeAll(async () => {
  // Throws PlatformMissingError naming `pnpm --silent sst:install` when .sst/platform is absent.
  const entry = await bundleEvaluator(root);
  const results = await Promise.all(STAGES.map((s) => evaluateStage(root, entry, s)));
  for (const plan of results) plans.set(plan.stage, plan);
}, 170_000);

const of = (plan: PlanOutput, type: string): ResourceRecord[] =>
  plan.resources.filter((r) => r.type === type);

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
    for (const s of services) {
      expect(s.inputs.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
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
        dimensions: [{ name: "Service", value: fleet.name }],
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
    expect(slos).toHaveLength(40);
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
      .flatMap((a) =>
        (a.inputs.metricQueries as { metric?: { dimensions?: Record<string, string> } }[]).map(
          (q) => q.metric?.dimensions?.CanaryName,
        ),
      )
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

  it("creates burn-rate alarms per SLO tier with the tier thresholds, routed by severity", () => {
    const alarms = of(plan(), "aws:cloudwatch/metricAlarm:MetricAlarm");
    const burn = alarms.filter(
      (a) => (a.inputs.tags as Record<string, string>).AlarmKind === "burn-rate",
    );
    expect(burn).toHaveLength(40 * 4);
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
    const kinds = new Set(alarms.map((a) => (a.inputs.tags as Record<string, string>).AlarmKind));
    expect(kinds).toEqual(new Set(["burn-rate", "budget-exhausted", "no-data", "canary"]));
    const topics = of(plan(), "aws:sns/topic:Topic");
    expect(topics).toHaveLength(2);
    const pageAlarm = burn.find(
      (a) => (a.inputs.tags as Record<string, string>).Severity === "page",
    )!;
    const pageAction = String((pageAlarm.inputs.alarmActions as string[])[0]);
    expect(pageAction).toContain(
      profile.alerts.route.page === "page" ? "AlertsPage" : "AlertsTicket",
    );
  });

  it("lets exactly one of the evaluator and the tier alarms notify a burn", () => {
    const alarms = of(plan(), "aws:cloudwatch/metricAlarm:MetricAlarm");
    const evaluatorPages = profile.alerts.pager === "evaluator";
    for (const a of alarms) {
      const burnRate = (a.inputs.tags as Record<string, string>).AlarmKind === "burn-rate";
      expect(a.inputs.actionsEnabled).toBe(burnRate ? !evaluatorPages : true);
    }
    const evaluator = of(plan(), "aws:lambda/function:Function").find((f) =>
      String(f.name).includes("BurnRateEvaluator"),
    );
    expect(evaluator).toBeDefined();
    const { variables } = evaluator!.inputs.environment as { variables: Record<string, string> };
    expect(variables.SLO_NOTIFY).toBe(String(evaluatorPages));
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
