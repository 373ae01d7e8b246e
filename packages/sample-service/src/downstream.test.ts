import { describe, expect, it } from "vitest";
import {
  CredentialsError,
  DownstreamConfigError,
  downstreamCaller,
  parseDownstreams,
  taskRoleCredentials,
} from "./downstream.ts";

describe("parseDownstreams", () => {
  it("reads the list infra writes, and nothing when unset", () => {
    expect(parseDownstreams(undefined)).toEqual([]);
    expect(parseDownstreams(" ")).toEqual([]);
    expect(
      parseDownstreams(
        '[{"name":"audit-service","url":"http://audit-service:8088","auth":"none"}]',
      ),
    ).toEqual([{ name: "audit-service", url: "http://audit-service:8088", auth: "none" }]);
  });

  it("names the entry and field that is wrong", () => {
    expect(() => parseDownstreams("{")).toThrow(DownstreamConfigError);
    expect(() => parseDownstreams('{"name":"x"}')).toThrow(/JSON list/);
    expect(() => parseDownstreams('[{"name":"a","url":"ftp://a","auth":"none"}]')).toThrow(
      /DOWNSTREAMS\[0\]\.url/,
    );
    expect(() => parseDownstreams('[{"name":"a","url":"http://a/x","auth":"none"}]')).toThrow(
      /without a path/,
    );
    expect(() => parseDownstreams('[{"name":"a","url":"http://a","auth":"mtls"}]')).toThrow(
      /DOWNSTREAMS\[0\]\.auth/,
    );
  });
});

describe("taskRoleCredentials", () => {
  const ok = (expiresInMs: number) =>
    new Response(
      JSON.stringify({
        AccessKeyId: "ASIAX",
        SecretAccessKey: "s",
        Token: "t",
        Expiration: new Date(Date.now() + expiresInMs).toISOString(),
      }),
    );

  it("prefers static keys from the environment", async () => {
    const creds = taskRoleCredentials({ AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "k" });
    expect(await creds()).toEqual({ accessKeyId: "AKIA", secretAccessKey: "k" });
  });

  it("reads the ECS endpoint once and caches until five minutes before expiry", async () => {
    const urls: string[] = [];
    const fetchImpl = (async (url: string) => {
      urls.push(url);
      return ok(urls.length === 1 ? 60 * 60_000 : 60_000);
    }) as unknown as typeof fetch;
    const creds = taskRoleCredentials(
      { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/abc" },
      fetchImpl,
    );
    expect(await creds()).toMatchObject({ accessKeyId: "ASIAX", sessionToken: "t" });
    await creds();
    expect(urls).toEqual(["http://169.254.170.2/v2/credentials/abc"]);
  });

  it("fails with CredentialsError when there is no source or the endpoint fails", async () => {
    await expect(taskRoleCredentials({})()).rejects.toThrow(CredentialsError);
    const failing = (async () => new Response("no", { status: 500 })) as unknown as typeof fetch;
    const creds = taskRoleCredentials(
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://x/creds" },
      failing,
    );
    await expect(creds()).rejects.toThrow(/http:\/\/x\/creds failed/);
    const empty = (async () => new Response("{}")) as unknown as typeof fetch;
    await expect(
      taskRoleCredentials({ AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://x/creds" }, empty)(),
    ).rejects.toThrow(/no keys/);
  });
});

describe("downstreamCaller", () => {
  it("signs Lattice calls for vpc-lattice-svcs with an unsigned payload, and not Service Connect calls", async () => {
    const seen: Request[] = [];
    const fetchImpl = (async (req: Request) => {
      seen.push(req);
      return new Response("{}", { status: 200 });
    }) as unknown as typeof fetch;
    const call = downstreamCaller(
      [
        { name: "a", url: "https://a.vpc-lattice-svcs.us-east-1.on.aws", auth: "sigv4" },
        { name: "b", url: "http://b:8081", auth: "none" },
      ],
      {
        region: "us-east-1",
        credentials: async () => ({
          accessKeyId: "ASIAX",
          secretAccessKey: "s",
          sessionToken: "t",
        }),
        fetch: fetchImpl,
      },
    );
    const results = await call("/health");
    expect(results.map((r) => [r.name, r.ok, r.status])).toEqual([
      ["a", true, 200],
      ["b", true, 200],
    ]);
    const signed = seen.find((r) => r.url.startsWith("https://a"))!;
    expect(signed.headers.get("authorization")).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAX\/\d{8}\/us-east-1\/vpc-lattice-svcs\/aws4_request/,
    );
    expect(signed.headers.get("x-amz-content-sha256")).toBe("UNSIGNED-PAYLOAD");
    expect(signed.headers.get("x-amz-security-token")).toBe("t");
    expect(seen.find((r) => r.url.startsWith("http://b"))!.headers.get("authorization")).toBeNull();
  });

  it("reports a failed call as not ok with status 0 instead of throwing", async () => {
    const call = downstreamCaller([{ name: "a", url: "http://127.0.0.1:1", auth: "none" }], {
      region: "us-east-1",
      credentials: async () => {
        throw new CredentialsError("unused");
      },
      timeoutMs: 500,
    });
    const [r] = await call("/health");
    expect(r).toMatchObject({ name: "a", ok: false, status: 0 });
    expect(r?.error).toBeDefined();
  });
});
