import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient, ListServicesCommand } from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { compileSloDefinitions } from "@slo/core/definitions";
import { FLEET_SERVICES } from "@slo/core/embedded";
import { loadSloFiles } from "@slo/core/spec";
import { STAGE_REPORT_KEY } from "@slo/core/stage-report";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { invokeCapturingStdout, pointsOf, REPO_ROOT } from "../../test-helpers.ts";
import { loadFunctionConfig } from "../config.ts";
import type { JobResult } from "../job.ts";
import { RecordingSink } from "../recording-sink.ts";
import { awsHandler } from "../registry.ts";

const ENV = {
  SLO_STAGE: "test",
  ECS_CLUSTER_NAME: "fleet",
  AWS_REGION: "eu-west-1",
  POWERTOOLS_LOG_LEVEL: "SILENT",
  SST_RESOURCE_RollupBucket: '{"name":"rollup"}',
  SST_RESOURCE_AlertTopicPage: '{"arn":"arn:aws:sns:eu-west-1:111122223333:page"}',
  SST_RESOURCE_AlertTopicTicket: '{"arn":"arn:aws:sns:eu-west-1:111122223333:ticket"}',
};
const tgOf = (s: string) => `targetgroup/${s}/0123456789abcdef`;

/** Per-step values: 1,000 requests, 0.01 % errors, except payment-service at 5 % (pages). */
function valueAt(q: MetricDataQuery): number | undefined {
  const m = q.MetricStat;
  const tg = m?.Metric?.Dimensions?.find((d) => d.Name === "TargetGroup")?.Value ?? "";
  const scale = (m?.Period ?? 300) / 300;
  const name = m?.Metric?.MetricName;
  if (name === "RequestCount" || m?.Stat === "SampleCount") return 1000 * scale;
  if (name === "HTTPCode_Target_5XX_Count")
    return (tg === tgOf("payment-service") ? 50 : 0.1) * scale;
  if (name === "TargetConnectionErrorCount") return 0;
  if (m?.Stat?.startsWith("TC(")) return 998 * scale;
  return undefined;
}

/** CloudWatch, ECS, ELBv2, S3 (with ETags) and SNS mocked at the command level. */
function mockAws() {
  const cw = mockClient(CloudWatchClient);
  cw.on(GetMetricDataCommand).callsFake((input) => {
    const start = (input.StartTime as Date).getTime();
    const end = (input.EndTime as Date).getTime();
    const all: MetricDataQuery[] = input.MetricDataQueries ?? [];
    const results = all
      .filter((q: MetricDataQuery) => q.ReturnData !== false)
      .map((q: MetricDataQuery) => {
        // Expressions here are sums of their inputs (FILL(m0, 0) + FILL(m1, 0)).
        const ids = new Set(q.Expression?.match(/\b[a-z]\w*\b/g) ?? []);
        const inputs = q.MetricStat
          ? [q]
          : all.filter((x) => x.MetricStat && ids.has(x.Id as string));
        const period = ((inputs[0]?.MetricStat?.Period ?? 300) as number) * 1000;
        const ts: Date[] = [];
        const vs: number[] = [];
        for (let t = start; t < end; t += period) {
          const parts = inputs.map((i) => valueAt(i));
          if (parts.some((p) => p === undefined)) continue;
          ts.push(new Date(t));
          vs.push((parts as number[]).reduce((a, b) => a + b, 0));
        }
        return { Id: q.Id, Timestamps: ts, Values: vs, StatusCode: "Complete" };
      });
    return { MetricDataResults: results };
  });
  const ecs = mockClient(ECSClient);
  ecs.on(ListServicesCommand).resolves({
    serviceArns: FLEET_SERVICES.map((s) => `arn:aws:ecs:eu-west-1:111122223333:service/fleet/${s}`),
  });
  ecs.on(DescribeServicesCommand).callsFake((input) => ({
    services: (input.services ?? []).map((arn: string) => {
      const name = arn.split("/").pop() as string;
      return {
        serviceArn: arn,
        serviceName: name,
        loadBalancers: [
          { targetGroupArn: `arn:aws:elasticloadbalancing:eu-west-1:111122223333:${tgOf(name)}` },
        ],
      };
    }),
    failures: [],
  }));
  const elb = mockClient(ElasticLoadBalancingV2Client);
  elb.on(DescribeTargetGroupsCommand).callsFake((input) => ({
    TargetGroups: (input.TargetGroupArns ?? []).map((a: string) => ({
      TargetGroupArn: a,
      LoadBalancerArns: [
        "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/fleet/50dc6c495c0c9188",
      ],
    })),
  }));
  const objects = new Map<string, { body: Uint8Array; etag: string }>();
  let version = 0;
  const s3 = mockClient(S3Client);
  s3.on(GetObjectCommand).callsFake((input) => {
    const obj = objects.get(input.Key as string);
    if (!obj)
      throw Object.assign(new Error("The specified key does not exist."), {
        name: "NoSuchKey",
        $metadata: { httpStatusCode: 404 },
      });
    return {
      ETag: obj.etag,
      Body: {
        transformToByteArray: async () => obj.body,
        transformToString: async () => Buffer.from(obj.body).toString("utf8"),
      },
    };
  });
  s3.on(PutObjectCommand).callsFake((input) => {
    const current = objects.get(input.Key as string);
    const ok = input.IfNoneMatch === "*" ? current === undefined : current?.etag === input.IfMatch;
    if (!ok)
      throw Object.assign(new Error("precondition failed"), {
        name: "PreconditionFailed",
        $metadata: { httpStatusCode: 412 },
      });
    const body =
      typeof input.Body === "string" ? Buffer.from(input.Body) : (input.Body as Uint8Array);
    const etag = `"${++version}"`;
    objects.set(input.Key as string, { body, etag });
    return { ETag: etag };
  });
  const sns = mockClient(SNSClient);
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  return {
    cw,
    ecs,
    elb,
    s3,
    sns,
    objects,
    restore: () => {
      for (const m of [cw, ecs, elb, s3, sns]) m.restore();
    },
  };
}

/** The deployed functions read the definitions infra compiles from slos/: do the same. */
async function compiledFleetDefinitions(): Promise<string> {
  const { slos } = await loadSloFiles([`${REPO_ROOT}/slos`]);
  const dir = await mkdtemp(path.join(tmpdir(), "slo-defs-"));
  const file = path.join(dir, "slo-definitions.json");
  await writeFile(file, compileSloDefinitions(slos));
  return file;
}

let aws: ReturnType<typeof mockAws> | undefined;
afterEach(() => aws?.restore());

describe("AWS wiring (SDK clients mocked at the command level)", () => {
  it("burn-rate-evaluator: discovery, S3 rollup and alert state, SNS on change only", async () => {
    aws = mockAws();
    const config = loadFunctionConfig("burn-rate-evaluator", {
      ...ENV,
      SLO_DEFINITIONS_FILE: await compiledFleetDefinitions(),
    });
    const sink = new RecordingSink();
    const handler = awsHandler("burn-rate-evaluator", config, { sink });
    const at = Math.floor(Date.now() / 300_000) * 300_000;
    const event = { time: new Date(at).toISOString() };
    const run1 = await invokeCapturingStdout(handler, "burn-rate-evaluator", { event });
    const first = run1.result as JobResult;
    expect(pointsOf(run1.points, "JobErrors").map((p) => p.value)).toEqual([0]);
    expect(first.failed).toEqual([]);
    expect(first.succeeded).toHaveLength(41);
    const published = aws.sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    const pages = published.filter((p) => p.TopicArn === "arn:aws:sns:eu-west-1:111122223333:page");
    expect(pages.map((p) => p.Subject).sort()).toEqual([
      "[FIRING page] payment-service-availability (test)",
      "[FIRING page] payment-service-error-rate (test)",
    ]);
    // minimal profile, evaluator as pager: it also tickets budget exhaustion (no alarm does).
    const tickets = published.filter(
      (p) => p.TopicArn !== "arn:aws:sns:eu-west-1:111122223333:page",
    );
    expect(
      tickets.map((p) => [p.Subject, p.TopicArn, p.MessageAttributes?.alert?.StringValue]),
    ).toEqual([
      [
        "[FIRING ticket] payment-service-availability budget exhausted (test)",
        "arn:aws:sns:eu-west-1:111122223333:ticket",
        "budget-exhausted",
      ],
      [
        "[FIRING ticket] payment-service-error-rate budget exhausted (test)",
        "arn:aws:sns:eu-west-1:111122223333:ticket",
        "budget-exhausted",
      ],
    ]);
    // 41 rollup objects (one per SLO) plus the alert state, each created with If-None-Match,
    // and the stage report the gate reads.
    expect(aws.objects.size).toBe(43);
    expect(aws.objects.has("alert-state/v1.json")).toBe(true);
    expect(aws.objects.has(STAGE_REPORT_KEY)).toBe(true);
    // Discovery resolved the logical Service dimension to ALB target groups.
    const dims = aws.cw
      .commandCalls(GetMetricDataCommand)[0]
      ?.args[0].input.MetricDataQueries?.find((q) => q.MetricStat)?.MetricStat?.Metric?.Dimensions;
    expect(dims?.map((d) => d.Name).sort()).toEqual(["LoadBalancer", "TargetGroup"]);
    // minimal: one AlertState per firing service, no per-SLO metric.
    expect(
      sink.points.find((p) => p.name === "AlertState" && p.dimensions.Service === "payment-service")
        ?.dimensions,
    ).toEqual({ Stage: "test", Service: "payment-service" });
    expect(sink.points.filter((p) => p.dimensions.SLO !== undefined)).toEqual([]);

    const run2 = await invokeCapturingStdout(handler, "burn-rate-evaluator", {
      event: { time: new Date(at + 300_000).toISOString() },
    });
    expect(run2.result?.notifications).toBe(0);
    expect(aws.sns.commandCalls(PublishCommand)).toHaveLength(4);
    // The second run read only the recent steps from CloudWatch (incremental rollup).
    const calls = aws.cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    const spanOf = (i: (typeof calls)[number]) =>
      (i.EndTime as Date).getTime() - (i.StartTime as Date).getTime();
    expect(spanOf(calls.at(-1) as (typeof calls)[number])).toBeLessThanOrEqual(3_600_000);
  });

  it("burn-rate-evaluator with SLO_NOTIFY=false tracks alert state but leaves paging to the alarms", async () => {
    aws = mockAws();
    const config = loadFunctionConfig("burn-rate-evaluator", {
      ...ENV,
      SLO_DEFINITIONS_FILE: await compiledFleetDefinitions(),
      SLO_NOTIFY: "false",
    });
    const handler = awsHandler("burn-rate-evaluator", config, { sink: new RecordingSink() });
    const at = Math.floor(Date.now() / 300_000) * 300_000;
    const run = await invokeCapturingStdout(handler, "burn-rate-evaluator", {
      event: { time: new Date(at).toISOString() },
    });
    expect((run.result as JobResult).failed).toEqual([]);
    expect(aws.sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(aws.objects.has("alert-state/v1.json")).toBe(true);
  });
});
