import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  downstreamCaller,
  type SampleServiceHandle,
  startSampleService,
} from "../packages/sample-service/src/index.ts";
import { callersOf, FLEET } from "../stacks/index.ts";
import { authPolicyDocument } from "./mesh.ts";
import { type LatticeStandIn, startLatticeStandIn } from "./testing/lattice-standin.ts";

// The refusal path over loopback, with the real pieces: the sample service's signer
// (aws4fetch via downstreamCaller), the auth policy infra generates from stacks/fleet.ts,
// and a SigV4 check in front of a real payment-service instance.
const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const CALLEE = "payment-service";
const SERVICE_ARN = `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/svc-0payment`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}-task`;
const keys = (name: string) => ({
  accessKeyId: `ASIA${name
    .replace(/[^a-z]/g, "")
    .toUpperCase()
    .slice(0, 12)}`,
  secretAccessKey: `secret-of-${name}`,
  roleArn: role(name),
});
const quiet = { sink: () => {} };

let target: SampleServiceHandle;
let lattice: LatticeStandIn;

beforeAll(async () => {
  target = await startSampleService(
    { host: "127.0.0.1", port: 0, serviceName: CALLEE, latencyMedianMs: 0, drainDelayMs: 0 },
    quiet,
  );
  lattice = await startLatticeStandIn({
    region: REGION,
    serviceArn: SERVICE_ARN,
    policy: authPolicyDocument(SERVICE_ARN, callersOf(FLEET, CALLEE).map(role)),
    callers: FLEET.map((s) => keys(s.name)),
    targetUrl: target.url,
  });
});

afterAll(async () => {
  await lattice.close();
  await target.close();
});

/** A fleet service's /downstreams, configured to reach payment-service through Lattice. */
async function callerService(name: string) {
  const k = keys(name);
  return startSampleService(
    { host: "127.0.0.1", port: 0, serviceName: name, latencyMedianMs: 0, drainDelayMs: 0 },
    {
      ...quiet,
      downstreams: downstreamCaller([{ name: CALLEE, url: lattice.url, auth: "sigv4" }], {
        region: REGION,
        credentials: async () => ({
          accessKeyId: k.accessKeyId,
          secretAccessKey: k.secretAccessKey,
        }),
      }),
    },
  );
}

describe("Lattice AWS_IAM auth over loopback", () => {
  it("the fleet declares order-service, and only it, as payment-service's caller", () => {
    expect(callersOf(FLEET, CALLEE)).toEqual(["order-service"]);
  });

  it("accepts the declared caller's signed request end to end", async () => {
    const order = await callerService("order-service");
    try {
      const res = await fetch(`${order.url}/downstreams`);
      const body = (await res.json()) as { ok: boolean; downstreams: { status: number }[] };
      expect(res.status).toBe(200);
      expect(body.ok).toBe(true);
      expect(body.downstreams[0]!.status).toBe(200);
      expect(lattice.decisions.at(-1)).toMatchObject({
        principal: role("order-service"),
        allowed: true,
      });
    } finally {
      await order.close();
    }
  });

  it("refuses an undeclared caller with a valid signature", async () => {
    const audit = await callerService("audit-service");
    try {
      const res = await fetch(`${audit.url}/downstreams`);
      const body = (await res.json()) as { ok: boolean; downstreams: { status: number }[] };
      expect(res.status).toBe(502);
      expect(body.downstreams[0]!.status).toBe(403);
      expect(lattice.decisions.at(-1)).toMatchObject({
        principal: role("audit-service"),
        allowed: false,
        reason: "no statement allows the principal",
      });
    } finally {
      await audit.close();
    }
  });

  it("refuses an unsigned request and a forged signature", async () => {
    const unsigned = await fetch(`${lattice.url}/health`);
    expect(unsigned.status).toBe(403);
    expect(lattice.decisions.at(-1)?.reason).toBe("unsigned");

    // order-service's key id, someone else's secret: the signature cannot match.
    const forger = downstreamCaller([{ name: CALLEE, url: lattice.url, auth: "sigv4" }], {
      region: REGION,
      credentials: async () => ({
        accessKeyId: keys("order-service").accessKeyId,
        secretAccessKey: "guessed",
      }),
    });
    const [result] = await forger("/health");
    expect(result?.status).toBe(403);
    expect(lattice.decisions.at(-1)?.reason).toBe("signature mismatch");
  });

  it("refuses a request signed for another service or region", async () => {
    const k = keys("order-service");
    const { AwsClient } = await import("aws4fetch");
    const client = new AwsClient({ ...k, service: "execute-api", region: REGION });
    const res = await fetch(await client.sign(`${lattice.url}/health`));
    expect(res.status).toBe(403);
    expect(lattice.decisions.at(-1)?.reason).toBe("wrong scope");
  });
});
