import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_CREDENTIALS, LoopbackServer, type ScriptedReply } from "../testing/loopback.ts";
import { createRunBudget } from "./budget.ts";
import {
  createCloudWatchClient,
  createEcsClient,
  createElbv2Client,
  createS3Client,
} from "./clients.ts";
import { CloudWatchMetricsSource } from "./cloudwatch/source.ts";
import { EcsDiscovery } from "./ecs/discovery.ts";
import { AwsCallError, BudgetExceededError } from "./errors.ts";
import { S3RollupStore } from "./rollup/s3-store.ts";
import { PutMetricDataSink } from "./sinks/put-metric-data.ts";

// Fault tests: the REAL SDK v3 clients against a loopback server. CloudWatch 3.1164 speaks
// awsJson1_0 with awsQueryCompatible (X-Amz-Target GraniteServiceVersion20100801.<Op>,
// errors as {"__type": ...} plus the x-amzn-query-error header); ECS speaks awsJson1_1;
// S3 speaks REST-XML.

const JSON10 = { "content-type": "application/x-amz-json-1.0" };
const NOW = Date.UTC(2026, 10, 20, 12, 0);
const RANGE = { startMs: NOW - 3_600_000, endMs: NOW, stepMs: 300_000 };
const REQ = {
  id: "req",
  query: {
    kind: "metric" as const,
    namespace: "AWS/ApplicationELB",
    metricName: "RequestCount",
    dimensions: { TargetGroup: "targetgroup/a/1", LoadBalancer: "app/lb/2" },
    stat: "Sum",
  },
};

const throttled: ScriptedReply = {
  status: 400,
  headers: { ...JSON10, "x-amzn-query-error": "Throttling;Sender" },
  body: JSON.stringify({ __type: "com.amazonaws.cloudwatch#Throttling", message: "Rate exceeded" }),
};
const internal: ScriptedReply = {
  status: 500,
  headers: { ...JSON10, "x-amzn-query-error": "InternalServiceError;Receiver" },
  body: JSON.stringify({
    __type: "com.amazonaws.cloudwatch#InternalServiceFault",
    message: "oops",
  }),
};
function ok(values: number[]): ScriptedReply {
  return {
    status: 200,
    headers: JSON10,
    body: JSON.stringify({
      MetricDataResults: [
        {
          Id: "m0",
          Label: "RequestCount",
          StatusCode: "Complete",
          Timestamps: values.map((_, i) => (RANGE.startMs + i * RANGE.stepMs) / 1000),
          Values: values,
        },
      ],
      Messages: [],
    }),
  };
}

describe("real SDK clients against a loopback endpoint", () => {
  const server = new LoopbackServer();
  let endpoint = "";
  beforeAll(async () => {
    endpoint = await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  const cw = (maxAttempts = 3, requestTimeoutMs = 2_000) =>
    createCloudWatchClient({
      region: "us-east-1",
      endpoint,
      credentials: FAKE_CREDENTIALS,
      maxAttempts,
      requestTimeoutMs,
    });
  const source = (maxAttempts = 3, requestTimeoutMs = 2_000, signal?: AbortSignal) =>
    new CloudWatchMetricsSource({
      client: cw(maxAttempts, requestTimeoutMs),
      now: () => NOW,
      ...(signal ? { signal } : {}),
    });

  it("speaks awsJson1_0 to CloudWatch and reads the values back onto the grid", async () => {
    server.script([ok([1, 2, 3])]);
    const [s] = await source().fetch([REQ], RANGE);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.target).toBe("GraniteServiceVersion20100801.GetMetricData");
    const sent = JSON.parse(server.requests[0]?.body ?? "{}");
    expect(sent.ScanBy).toBe("TimestampAscending");
    expect(sent.MetricDataQueries[0].MetricStat.Period).toBe(300);
    expect(Array.from(s?.values.slice(0, 4) ?? [])).toEqual([1, 2, 3, Number.NaN]);
    expect(s?.complete).toBe(true);
  });

  it("retries throttling (400 Throttling) and succeeds", async () => {
    server.script([throttled, throttled, ok([5])]);
    const [s] = await source(3).fetch([REQ], RANGE);
    expect(server.requests).toHaveLength(3);
    expect(s?.values[0]).toBe(5);
  });

  it("surfaces persistent throttling as AwsCallError after maxAttempts", async () => {
    server.script([throttled]);
    const err = await source(2)
      .fetch([REQ], RANGE)
      .catch((e: unknown) => e);
    expect(server.requests).toHaveLength(2);
    expect(err).toBeInstanceOf(AwsCallError);
    expect((err as AwsCallError).code).toBe("Throttling");
    expect((err as AwsCallError).attempts).toBe(2);
    expect((err as Error).message).toMatch(
      /cloudwatch:GetMetricData failed: Throttling: Rate exceeded/,
    );
  });

  it("retries 500s and reports the attempts when they persist", async () => {
    server.script([internal, ok([7])]);
    const [s] = await source(3).fetch([REQ], RANGE);
    expect(server.requests).toHaveLength(2);
    expect(s?.values[0]).toBe(7);

    server.script([internal]);
    const err = await source(3)
      .fetch([REQ], RANGE)
      .catch((e: unknown) => e);
    expect(server.requests).toHaveLength(3);
    expect(err).toBeInstanceOf(AwsCallError);
    expect((err as Error).message).toMatch(/HTTP 500, 3 attempts/);
  });

  it("times out a slow response, retries, and succeeds", async () => {
    server.script([{ ...ok([9]), delayMs: 1_500 }, ok([9])]);
    const [s] = await source(3, 300).fetch([REQ], RANGE);
    expect(server.requests).toHaveLength(2);
    expect(s?.values[0]).toBe(9);
  });

  it("reports a malformed body as an error instead of data", async () => {
    server.script([{ status: 200, headers: JSON10, body: "{ this is not json" }]);
    const err = await source(2)
      .fetch([REQ], RANGE)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    // A 200 with an unparseable body is not retryable: one request, a parse error surfaced.
    expect(server.requests).toHaveLength(1);
    expect((err as AwsCallError).code).toBe("SyntaxError");
    expect((err as Error).message).toMatch(/^cloudwatch:GetMetricData failed: SyntaxError/);
  });

  it("abandons a call when the run budget is spent, without waiting for the server", async () => {
    server.script([{ ...ok([1]), delayMs: 5_000 }]);
    const budget = createRunBudget(250);
    const started = Date.now();
    const err = await source(3, 10_000, budget.signal)
      .fetch([REQ], RANGE)
      .catch((e: unknown) => e);
    budget.dispose();
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("retries PutMetricData throttling and reports nothing published when it persists", async () => {
    server.script([throttled, { status: 200, headers: JSON10, body: "{}" }]);
    const sink = new PutMetricDataSink({ client: cw(3) });
    const point = {
      namespace: "Custom/SLO",
      name: "SLI",
      value: 0.999,
      unit: "None" as const,
      timestampMs: NOW,
      dimensions: { Service: "a", SLO: "a-availability" },
    };
    await expect(sink.publish([point])).resolves.toEqual({ published: 1, requests: 1 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.target).toBe("GraniteServiceVersion20100801.PutMetricData");

    server.script([throttled]);
    const err = await new PutMetricDataSink({ client: cw(2) }).publish([point]).catch((e) => e);
    expect(err.name).toBe("PublishError");
    expect(err.published).toBe(0);
  });

  it("retries ECS (awsJson1_1) throttling during discovery", async () => {
    const ecsThrottle: ScriptedReply = {
      status: 400,
      headers: { "content-type": "application/x-amz-json-1.1" },
      body: JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }),
    };
    server.script([
      ecsThrottle,
      {
        status: 200,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: JSON.stringify({ serviceArns: [] }),
      },
    ]);
    const opts = { region: "us-east-1", endpoint, credentials: FAKE_CREDENTIALS, maxAttempts: 3 };
    const d = new EcsDiscovery({
      ecs: createEcsClient(opts),
      elbv2: createElbv2Client(opts),
      cluster: "fleet",
    });
    expect((await d.services()).size).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.target).toBe("AmazonEC2ContainerServiceV20141113.ListServices");
  });

  it("retries S3 (REST-XML) 503 SlowDown on rollup reads and maps 404 to missing", async () => {
    const slowDown: ScriptedReply = {
      status: 503,
      headers: { "content-type": "application/xml" },
      body: "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>",
    };
    const noSuchKey: ScriptedReply = {
      status: 404,
      headers: { "content-type": "application/xml" },
      body: "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
    };
    server.script([slowDown, noSuchKey]);
    const store = new S3RollupStore({
      client: createS3Client({
        region: "us-east-1",
        endpoint,
        credentials: FAKE_CREDENTIALS,
        maxAttempts: 3,
      }),
      bucket: "rollups",
    });
    await expect(store.read("a/b")).resolves.toEqual({ status: "missing" });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.url).toMatch(/^\/rollups\/rollups\/a%252Fb\.rollup/);
  });
});
