import { AwsClient } from "aws4fetch";

/**
 * A declared downstream as infra passes it in `DOWNSTREAMS` (infra/mesh.ts
 * `downstreamsOf`): Service Connect names (`http://payment-service:8083`, the proxy
 * adds TLS) or a VPC Lattice service's HTTPS name, called with SigV4.
 */
export interface Downstream {
  readonly name: string;
  readonly url: string;
  readonly auth: "sigv4" | "none";
}

/** `DOWNSTREAMS` is not the JSON list infra writes. */
export class DownstreamConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DownstreamConfigError";
  }
}

/** Credentials could not be read from the environment or the ECS credentials endpoint. */
export class CredentialsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CredentialsError";
  }
}

/**
 * Parses `DOWNSTREAMS` (unset or empty: no downstreams).
 *
 * @example
 * parseDownstreams('[{"name":"audit-service","url":"http://audit-service:8088","auth":"none"}]');
 */
export function parseDownstreams(raw: string | undefined): Downstream[] {
  if (raw === undefined || raw.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new DownstreamConfigError(
      `DOWNSTREAMS is not JSON: write a list like [{"name":"audit-service","url":"http://audit-service:8088","auth":"none"}]`,
      { cause },
    );
  }
  if (!Array.isArray(parsed)) {
    throw new DownstreamConfigError("DOWNSTREAMS must be a JSON list of {name, url, auth}");
  }
  return parsed.map((entry: unknown, i) => {
    const e = entry as Partial<Record<keyof Downstream, unknown>>;
    if (typeof e?.name !== "string" || e.name === "") {
      throw new DownstreamConfigError(`DOWNSTREAMS[${i}].name must be a service name`);
    }
    if (typeof e.url !== "string" || !/^https?:\/\/[^/\s]+$/.test(e.url)) {
      throw new DownstreamConfigError(
        `DOWNSTREAMS[${i}].url ${JSON.stringify(e.url)} must be http(s)://host[:port] without a path`,
      );
    }
    if (e.auth !== "sigv4" && e.auth !== "none") {
      throw new DownstreamConfigError(`DOWNSTREAMS[${i}].auth must be "sigv4" or "none"`);
    }
    return { name: e.name, url: e.url, auth: e.auth };
  });
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Epoch ms; absent for static keys. */
  readonly expiresAt?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Refresh this long before expiry so a signed request never carries a dead token. */
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * The task role's credentials: static keys from the environment, else the ECS
 * container credentials endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`), cached
 * until five minutes before they expire. The image ships no AWS SDK (two small
 * dependencies only), so this is the one provider it needs.
 *
 * @example
 * const credentials = taskRoleCredentials(process.env);
 * await credentials(); // { accessKeyId, secretAccessKey, sessionToken, expiresAt }
 */
export function taskRoleCredentials(
  env: Env,
  fetchImpl: typeof fetch = fetch,
): () => Promise<AwsCredentials> {
  let cached: AwsCredentials | undefined;
  return async () => {
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
      return {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      };
    }
    if (cached && (cached.expiresAt ?? 0) - REFRESH_BEFORE_MS > Date.now()) return cached;
    const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
    const endpoint = relative
      ? `http://169.254.170.2${relative}`
      : env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    if (!endpoint) {
      throw new CredentialsError(
        "no AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run as an ECS task (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)",
      );
    }
    const headers: Record<string, string> = env.AWS_CONTAINER_AUTHORIZATION_TOKEN
      ? { authorization: env.AWS_CONTAINER_AUTHORIZATION_TOKEN }
      : {};
    let body: Partial<Record<string, string>>;
    try {
      const res = await fetchImpl(endpoint, { headers, signal: AbortSignal.timeout(2_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = (await res.json()) as Partial<Record<string, string>>;
    } catch (cause) {
      throw new CredentialsError(`ECS credentials endpoint ${endpoint} failed`, { cause });
    }
    if (!body.AccessKeyId || !body.SecretAccessKey) {
      throw new CredentialsError(`ECS credentials endpoint ${endpoint} returned no keys`);
    }
    cached = {
      accessKeyId: body.AccessKeyId,
      secretAccessKey: body.SecretAccessKey,
      ...(body.Token ? { sessionToken: body.Token } : {}),
      ...(body.Expiration ? { expiresAt: Date.parse(body.Expiration) } : {}),
    };
    return cached;
  };
}

/** One downstream call's outcome, as `/downstreams` reports it. */
export interface DownstreamResult {
  readonly name: string;
  readonly ok: boolean;
  /** HTTP status, or 0 when the call failed before a response. */
  readonly status: number;
  readonly durationMs: number;
  readonly error?: string;
}

export type DownstreamCaller = (path: string) => Promise<DownstreamResult[]>;

/**
 * Calls `path` on every declared downstream in parallel: plain for Service Connect,
 * SigV4-signed (`vpc-lattice-svcs`, unsigned payload, as Lattice requires) for Lattice.
 *
 * @example
 * const call = downstreamCaller(parseDownstreams(env.DOWNSTREAMS), { region, credentials });
 * await call("/health"); // [{ name: "audit-service", ok: true, status: 200, durationMs: 4.2 }]
 */
export function downstreamCaller(
  downstreams: readonly Downstream[],
  options: {
    region: string;
    credentials: () => Promise<AwsCredentials>;
    fetch?: typeof fetch;
    timeoutMs?: number;
  },
): DownstreamCaller {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3_000;
  return (path) =>
    Promise.all(
      downstreams.map(async (d): Promise<DownstreamResult> => {
        const started = performance.now();
        const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
        try {
          const url = `${d.url}${path}`;
          const init: RequestInit = { signal: AbortSignal.timeout(timeoutMs) };
          let request = new Request(url, init);
          if (d.auth === "sigv4") {
            const c = await options.credentials();
            const client = new AwsClient({
              accessKeyId: c.accessKeyId,
              secretAccessKey: c.secretAccessKey,
              ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
              service: "vpc-lattice-svcs",
              region: options.region,
            });
            request = await client.sign(url, {
              ...init,
              headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
            });
          }
          const res = await fetchImpl(request);
          await res.arrayBuffer();
          return { name: d.name, ok: res.ok, status: res.status, durationMs: elapsed() };
        } catch (error) {
          return {
            name: d.name,
            ok: false,
            status: 0,
            durationMs: elapsed(),
            error: (error as Error).message,
          };
        }
      }),
    );
}
