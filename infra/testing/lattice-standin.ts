import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsV4Signer } from "aws4fetch";
import type { authPolicyDocument } from "../mesh.ts";

/** A caller the stand-in knows: the key it signs with and the role ARN that key belongs to. */
export interface KnownCaller {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly roleArn: string;
}

export interface LatticeStandIn {
  readonly url: string;
  /** Every decision, for assertions: who, and why refused. */
  readonly decisions: { principal?: string; allowed: boolean; reason: string }[];
  close(): Promise<void>;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

/**
 * The piece of VPC Lattice `AWS_IAM` auth that can run on this machine: it checks the
 * SigV4 signature of each request the way Lattice does (service `vpc-lattice-svcs`,
 * recomputed with the caller's secret, 5-minute clock skew), maps the key to its role,
 * evaluates the service's auth policy (as infra/mesh.ts generates it) and forwards
 * allowed requests to the target over loopback. Anything else gets Lattice's 403.
 *
 * @example
 * const lattice = await startLatticeStandIn({ region, policy, callers, targetUrl });
 */
export async function startLatticeStandIn(input: {
  region: string;
  serviceArn: string;
  policy: ReturnType<typeof authPolicyDocument>;
  callers: readonly KnownCaller[];
  targetUrl: string;
}): Promise<LatticeStandIn> {
  const decisions: LatticeStandIn["decisions"] = [];
  const byKey = new Map(input.callers.map((c) => [c.accessKeyId, c]));

  async function decide(req: IncomingMessage, url: string) {
    const authorization = req.headers.authorization;
    if (!authorization) return { allowed: false, reason: "unsigned" };
    const m = AUTH.exec(authorization);
    if (!m) return { allowed: false, reason: "malformed authorization" };
    const [, keyId, , region, service, signedHeaders] = m;
    const caller = byKey.get(keyId!);
    if (!caller) return { allowed: false, reason: "unknown access key" };
    if (service !== "vpc-lattice-svcs" || region !== input.region) {
      return { allowed: false, principal: caller.roleArn, reason: "wrong scope" };
    }
    const datetime = String(req.headers["x-amz-date"] ?? "");
    const signedAt = Date.parse(
      datetime.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
    );
    if (!Number.isFinite(signedAt) || Math.abs(Date.now() - signedAt) > 5 * 60_000) {
      return { allowed: false, principal: caller.roleArn, reason: "clock skew" };
    }
    const headers: Record<string, string> = {};
    for (const name of signedHeaders!.split(";")) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
    }
    const expected = await new AwsV4Signer({
      method: req.method ?? "GET",
      url,
      headers,
      accessKeyId: caller.accessKeyId,
      secretAccessKey: caller.secretAccessKey,
      service: "vpc-lattice-svcs",
      region: input.region,
      datetime,
    }).sign();
    if (expected.headers.get("authorization") !== authorization) {
      return { allowed: false, principal: caller.roleArn, reason: "signature mismatch" };
    }
    const resource = `${input.serviceArn}${new URL(url).pathname}`;
    const allowed = input.policy.Statement.some(
      (s) =>
        s.Effect === "Allow" &&
        s.Principal.AWS.includes(caller.roleArn) &&
        (s.Resource === resource ||
          (s.Resource.endsWith("*") && resource.startsWith(s.Resource.slice(0, -1)))),
    );
    return {
      allowed,
      principal: caller.roleArn,
      reason: allowed ? "allowed by auth policy" : "no statement allows the principal",
    };
  }

  const server: Server = createServer((req, res) => {
    const url = `http://${req.headers.host}${req.url ?? "/"}`;
    decide(req, url)
      .then(async (d) => {
        decisions.push(d);
        if (!d.allowed) {
          res.writeHead(403, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: `AccessDeniedException: ${d.reason}` }));
          return;
        }
        const upstream = await fetch(`${input.targetUrl}${req.url ?? "/"}`, {
          method: req.method ?? "GET",
        });
        res.writeHead(upstream.status, { "content-type": "application/json" });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(502);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    decisions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
