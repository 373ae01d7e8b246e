import { flagMaxSteps, flagTime } from "./args.ts";
import { UsageError } from "./io.ts";
import type { OpenedSource } from "./sources.ts";

const STEP_MS = 60_000;

/**
 * The `--prometheus URL` source of `slo report`: plain HTTP for a self-hosted server,
 * SigV4-signed (aws4fetch) for an Amazon Managed Prometheus workspace, with the
 * credentials the AWS SDK's default chain finds. Evaluates at `--at` or now, at 60 s.
 *
 * @example
 * const { source, nowMs } = await openPrometheusSource("http://127.0.0.1:9090", {});
 */
export async function openPrometheusSource(
  url: string,
  opts: {
    readonly region?: string | undefined;
    readonly at?: string | undefined;
    readonly "max-steps"?: string | undefined;
  },
): Promise<OpenedSource> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `--prometheus "${url}" is not a URL: write e.g. --prometheus http://127.0.0.1:9090`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(`--prometheus "${url}" must be http:// or https://`);
  }
  const { PrometheusMetricsSource, ampFetch, ampRegion, createCloudWatchClient } = await import(
    "@slo/aws"
  );
  const workspaceRegion = ampRegion(url);
  let fetch: ConstructorParameters<typeof PrometheusMetricsSource>[0]["fetch"];
  if (workspaceRegion !== undefined) {
    const region = opts.region ?? workspaceRegion;
    // The SDK's default credential chain (env, profile, SSO, container, IMDS), borrowed
    // from a client so the CLI needs no extra credentials package.
    const client = createCloudWatchClient({ region });
    fetch = ampFetch({ region, credentials: () => client.config.credentials() });
  }
  const atMs = flagTime(opts.at, "--at");
  return {
    source: new PrometheusMetricsSource({ url, ...(fetch ? { fetch } : {}) }),
    nowMs: atMs ?? Math.floor(Date.now() / STEP_MS) * STEP_MS,
    stepMs: STEP_MS,
    maxSteps: flagMaxSteps(opts["max-steps"]),
  };
}
