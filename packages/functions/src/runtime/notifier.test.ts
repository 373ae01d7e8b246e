import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SNSClient } from "@aws-sdk/client-sns";
import { AwsCallError } from "@slo/aws";
import { afterEach, describe, expect, it } from "vitest";
import type { AlertNotification } from "./alert-state.ts";
import { renderNotification, SnsNotifier } from "./notifier.ts";

const NOTE: AlertNotification = {
  key: "payment-service-availability/availability/page",
  kind: "firing",
  slo: "payment-service-availability",
  service: "payment-service",
  objective: "availability",
  severity: "page",
  atMs: Date.UTC(2026, 9, 31, 12),
  previousSinceMs: undefined,
  tiers: [
    {
      tier: "page-fast",
      threshold: 14.4,
      longWindowMs: 3_600_000,
      shortWindowMs: 300_000,
      longBurnRate: 167.7,
      shortBurnRate: 251,
      state: "firing",
    },
  ],
};

const OK = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>`;
const ERROR = (code: string, type = "Sender") =>
  `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${code} happened</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`;

let server: Server | undefined;
afterEach(() => server?.close());

/** A loopback SNS endpoint answering with scripted replies (the last one repeats). */
async function loopback(replies: Array<{ status: number; body: string }>) {
  const requests: string[] = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      requests.push(body);
      const r = replies[Math.min(requests.length - 1, replies.length - 1)] as {
        status: number;
        body: string;
      };
      res.writeHead(r.status, { "content-type": "text/xml" });
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = new SNSClient({
    region: "eu-west-1",
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 3,
    retryMode: "standard",
  });
  return { client, requests };
}

const TOPICS = {
  page: "arn:aws:sns:eu-west-1:123456789012:page",
  ticket: "arn:aws:sns:eu-west-1:123456789012:ticket",
};

describe("SnsNotifier against a loopback SNS endpoint (real SDK client)", () => {
  it("publishes to the severity's topic with attributes, retrying a 500", async () => {
    const { client, requests } = await loopback([
      { status: 500, body: ERROR("InternalError", "Receiver") },
      { status: 200, body: OK },
    ]);
    await new SnsNotifier(client, TOPICS, "prod").notify(NOTE);
    expect(requests).toHaveLength(2);
    const form = new URLSearchParams(requests[1]);
    expect(form.get("Action")).toBe("Publish");
    expect(form.get("TopicArn")).toBe(TOPICS.page);
    expect(form.get("Subject")).toBe("[FIRING page] payment-service-availability (prod)");
    expect(form.get("Message")).toMatch(
      /page-fast: burn 167.70 over 1h, 251.00 over 5m \(threshold 14.4\)/,
    );
    expect(requests[1]).toContain("MessageAttributes.entry.1.Name=severity");
  });

  it("gives up after the SDK's attempts on throttling with a clear AwsCallError", async () => {
    const { client, requests } = await loopback([{ status: 400, body: ERROR("Throttling") }]);
    const error = await new SnsNotifier(client, TOPICS, "prod")
      .notify({ ...NOTE, severity: "ticket" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.message).toMatch(/SNS Publish to the ticket topic failed: Throttling/);
    expect(requests).toHaveLength(3);
    expect(new URLSearchParams(requests[0]).get("TopicArn")).toBe(TOPICS.ticket);
  });
});

describe("renderNotification", () => {
  it("keeps the subject within SNS's 100 characters and says how long a resolved alert lasted", () => {
    const long = { ...NOTE, slo: "x".repeat(150) };
    expect(renderNotification(long, "prod").subject.length).toBeLessThanOrEqual(100);
    const resolved = renderNotification(
      { ...NOTE, kind: "resolved", previousSinceMs: NOTE.atMs - 5_400_000 },
      "prod",
    );
    expect(resolved.subject).toBe("[RESOLVED page] payment-service-availability (prod)");
    expect(resolved.message).toMatch(/after 90m/);
  });
});
