import { AwsClient } from "aws4fetch";
import type { FetchLike } from "./source.ts";

export interface AmpCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** The workspace URL's region (`aps-workspaces.<region>.amazonaws.com`), if it is one. */
export function ampRegion(url: string): string | undefined {
  try {
    return /^aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * A `fetch` that signs every request with SigV4 for Amazon Managed Service for
 * Prometheus (service `aps`), for {@link PrometheusMetricsSource} on an AMP workspace.
 * Signing is aws4fetch's, not hand-rolled. `credentials` may be an SDK provider
 * (`client.config.credentials`): it is asked on every request, so rotated role
 * credentials are picked up.
 *
 * @example
 * const source = new PrometheusMetricsSource({
 *   url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-123",
 *   fetch: ampFetch({ region: "eu-west-1", credentials: cloudWatch.config.credentials }),
 * });
 */
export function ampFetch(opts: {
  readonly region: string;
  readonly credentials: AmpCredentials | (() => Promise<AmpCredentials>);
}): FetchLike {
  return async (url, init) => {
    const c = typeof opts.credentials === "function" ? await opts.credentials() : opts.credentials;
    const client = new AwsClient({
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
      service: "aps",
      region: opts.region,
      retries: 0,
    });
    return client.fetch(url, init);
  };
}
