import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient, ListServicesCommand } from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { planSloQueries } from "@slo/core/metrics";
import type { SloDefinition } from "@slo/core/spec";
import { mockClient } from "aws-sdk-client-mock";
import { ServiceDimensionResolver } from "../src/cloudwatch/dimensions.ts";
import { CloudWatchMetricsSource } from "../src/cloudwatch/source.ts";
import { EcsDiscovery } from "../src/ecs/discovery.ts";
import { MemoryRollupStore } from "../src/rollup/memory-store.ts";
import { updateSloRollups } from "../src/rollup/slo-rollups.ts";
import { fakeGetMetricData } from "./fake-cloudwatch.ts";

/** API usage observed on the mocked clients. */
export interface ApiUsage {
  /** GetMetricData requests. */
  calls: number;
  /** MetricStat entries over all requests: what CloudWatch bills. */
  metrics: number;
  /** ECS + ELBv2 discovery requests (not billed). */
  discoveryCalls: number;
}

const HOUR = 3_600_000;
/**
 * The windows slo-generator-style tools query separately every run: the SLO window plus
 * the long and short window of each of the four default tiers (6h appears twice).
 */
export const NAIVE_ALERT_WINDOWS_MS = [1, 5 / 60, 6, 0.5, 24, 2, 72, 6].map((h) => h * HOUR);

/** Fake ALB data: ~1000 requests, a few errors, latency counts, per 5-minute step. */
function fakeValue(q: MetricDataQuery): number | undefined {
  const name = q.MetricStat?.Metric?.MetricName;
  const stat = q.MetricStat?.Stat ?? "";
  const scale = (q.MetricStat?.Period ?? 300) / 300;
  if (name === "RequestCount") return 1000 * scale;
  if (name === "HTTPCode_Target_5XX_Count") return 1 * scale;
  if (name === "TargetConnectionErrorCount") return undefined;
  if (stat === "SampleCount") return 1000 * scale;
  if (stat.startsWith("TC(")) return 990 * scale;
  return 0.1;
}

/**
 * Mocks CloudWatch, ECS and ELBv2 for the fleet's services (one ALB target group each)
 * and counts what the real clients send. Call `restore()` when done.
 */
export function mockFleetAws(services: readonly string[]) {
  const cw = mockClient(CloudWatchClient);
  const ecs = mockClient(ECSClient);
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const arnOf = (s: string) => `arn:aws:ecs:eu-west-1:111122223333:service/fleet/${s}`;
  const tgOf = (s: string) =>
    `arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/${s}/0123456789abcdef`;
  cw.on(GetMetricDataCommand).callsFake(fakeGetMetricData((q) => fakeValue(q)));
  ecs.on(ListServicesCommand).resolves({ serviceArns: services.map(arnOf) });
  ecs.on(DescribeServicesCommand).callsFake((input) => ({
    services: (input.services ?? []).map((arn: string) => {
      const name = arn.split("/").pop() as string;
      return {
        serviceArn: arn,
        serviceName: name,
        loadBalancers: [{ targetGroupArn: tgOf(name) }],
      };
    }),
    failures: [],
  }));
  elb.on(DescribeTargetGroupsCommand).callsFake((input) => ({
    TargetGroups: (input.TargetGroupArns ?? []).map((a: string) => ({
      TargetGroupArn: a,
      LoadBalancerArns: [
        "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/fleet/50dc6c495c0c9188",
      ],
    })),
  }));
  const usage = (): ApiUsage => {
    const inputs: GetMetricDataCommandInput[] = cw
      .commandCalls(GetMetricDataCommand)
      .map((c) => c.args[0].input);
    return {
      calls: inputs.length,
      metrics: inputs.reduce(
        (n, i) => n + (i.MetricDataQueries ?? []).filter((q) => q.MetricStat).length,
        0,
      ),
      discoveryCalls:
        ecs.commandCalls(ListServicesCommand).length +
        ecs.commandCalls(DescribeServicesCommand).length +
        elb.commandCalls(DescribeTargetGroupsCommand).length,
    };
  };
  const newRun = () => {
    const region = "eu-west-1";
    const discovery = new EcsDiscovery({
      ecs: new ECSClient({ region }),
      elbv2: new ElasticLoadBalancingV2Client({ region }),
      cluster: "fleet",
    });
    return new CloudWatchMetricsSource({
      client: new CloudWatchClient({ region }),
      dimensions: new ServiceDimensionResolver(discovery),
    });
  };
  const restore = () => {
    cw.restore();
    ecs.restore();
    elb.restore();
  };
  return { usage, newRun, restore };
}

function diff(a: ApiUsage, b: ApiUsage): ApiUsage {
  return {
    calls: b.calls - a.calls,
    metrics: b.metrics - a.metrics,
    discoveryCalls: b.discoveryCalls - a.discoveryCalls,
  };
}

/**
 * One run of the naive approach: for every SLO and every window (SLO window + the eight
 * alert windows), its own GetMetricData request at a period equal to the window, with
 * no sharing across SLOs.
 */
export async function measureNaiveRun(
  defs: readonly SloDefinition[],
  nowMs: number,
  aws: ReturnType<typeof mockFleetAws>,
): Promise<ApiUsage> {
  const before = aws.usage();
  const source = aws.newRun();
  const endMs = Math.floor(nowMs / 300_000) * 300_000;
  for (const def of defs) {
    const sloWindow =
      def.timeWindow.type === "rolling" ? def.timeWindow.durationMs : 30 * 24 * HOUR;
    for (const windowMs of [sloWindow, ...NAIVE_ALERT_WINDOWS_MS]) {
      const plan = planSloQueries([def], windowMs);
      await source.fetch(plan.queries, { startMs: endMs - windowMs, endMs, stepMs: windowMs });
    }
  }
  return diff(before, aws.usage());
}

/**
 * `runs` scheduled runs of this design, `scheduleMs` apart: rollups in a memory store,
 * deduplicated queries, incremental fetch (the first run backfills). Each run is every
 * job that reads the rollups, at its offset into the step (the SLO calculator at 0, the
 * burn-rate evaluator a little later): a run's usage is theirs together.
 */
export async function measureIncrementalRuns(
  defs: readonly SloDefinition[],
  firstNowMs: number,
  runs: number,
  scheduleMs: number,
  aws: ReturnType<typeof mockFleetAws>,
  jobOffsetsMs: readonly number[] = [0],
): Promise<{ perRun: ApiUsage[]; incompleteSlos: number }> {
  const store = new MemoryRollupStore();
  const perRun: ApiUsage[] = [];
  let incompleteSlos = 0;
  for (let r = 0; r < runs; r++) {
    const before = aws.usage();
    for (const offset of jobOffsetsMs) {
      const { slos } = await updateSloRollups({
        defs,
        source: aws.newRun(),
        store,
        nowMs: firstNowMs + r * scheduleMs + offset,
      });
      incompleteSlos += [...slos.values()].filter((s) => !s.complete).length;
    }
    perRun.push(diff(before, aws.usage()));
  }
  return { perRun, incompleteSlos };
}
