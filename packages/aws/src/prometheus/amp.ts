import { AwsClient } from "aws4fetch";
import type { FetchLike } from "./source.ts";

export interface AmpCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/**
 * A `fetch` that signs every request with SigV4 for Amazon Managed Service for
 * Prometheus (service `aps`), for {@link PrometheusMetricsSource} on an AMP workspace.
 * Signing is aws4fetch's, not hand-rolled.
 *
 * @example
 * const source = new PrometheusMetricsSource({
 *   url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-123",
 *   fetch: ampFetch({ region: "eu-west-1", credentials: { accessKeyId, secretAccessKey } }),
 * });
 */
export function ampFetch(opts: {
  readonly region: string;
  readonly credentials: AmpCredentials;
}): FetchLike {
  const client = new AwsClient({
    accessKeyId: opts.credentials.accessKeyId,
    secretAccessKey: opts.credentials.secretAccessKey,
    ...(opts.credentials.sessionToken ? { sessionToken: opts.credentials.sessionToken } : {}),
    service: "aps",
    region: opts.region,
    retries: 0,
  });
  return (url, init) => client.fetch(url, init);
}
