import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { S3Client } from "@aws-sdk/client-s3";
import { VPCLatticeClient } from "@aws-sdk/client-vpc-lattice";
import type { Pluggable } from "@smithy/types";

/** An SDK plugin for any of the clients (their input/output unions differ). */
// biome-ignore lint/suspicious/noExplicitAny: one plugin applies to every client's command types
export type AnyClientPlugin = Pluggable<any, any>;

/** Connection settings shared by every client this package creates. */
export interface AwsClientOptions {
  readonly region?: string;
  /** Endpoint override (LocalStack, a loopback fault server in tests). */
  readonly endpoint?: string;
  /** Static credentials; omit to use the default provider chain (Lambda role, profile...). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Attempts per call including the first (default 4). */
  readonly maxAttempts?: number;
  /** Socket inactivity timeout per attempt in ms (default 10,000). */
  readonly requestTimeoutMs?: number;
  /** TCP connect timeout in ms (default 3,000). */
  readonly connectionTimeoutMs?: number;
  /**
   * SDK plugins added to the middleware stack of every client created with these
   * options: the permission contract records each call's IAM action with one.
   */
  readonly plugins?: readonly AnyClientPlugin[];
}

/**
 * Adds `opts.plugins` to a client's middleware stack; for clients built outside this
 * module (SNS) so they are instrumented like the rest.
 *
 * @example
 * const sns = withPlugins(new SNSClient({}), { plugins: [recorder] });
 */
export function withPlugins<C extends { middlewareStack: { use(p: AnyClientPlugin): void } }>(
  client: C,
  opts: Pick<AwsClientOptions, "plugins">,
): C {
  for (const plugin of opts.plugins ?? []) client.middlewareStack.use(plugin);
  return client;
}

/** Defaults tuned for a 5-minute scheduled Lambda with a ~60 s budget. */
export const DEFAULT_MAX_ATTEMPTS = 4;

/** The retry, timeout and connection settings every client of this package is built with. */
export function baseClientConfig(opts: AwsClientOptions) {
  return {
    // Adaptive mode adds a client-side token bucket on top of exponential backoff, so a
    // throttled run slows itself down instead of burning its attempts in a burst.
    retryMode: "adaptive" as const,
    maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    requestHandler: {
      requestTimeout: opts.requestTimeoutMs ?? 10_000,
      // Without this the Node handler only logs a warning when requestTimeout passes and
      // keeps waiting; a hung call must fail (and be retried) inside the run's budget.
      throwOnRequestTimeout: true,
      connectionTimeout: opts.connectionTimeoutMs ?? 3_000,
    },
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials !== undefined ? { credentials: { ...opts.credentials } } : {}),
  };
}

/**
 * Creates a CloudWatch client with adaptive retries and bounded timeouts.
 *
 * @example
 * const cw = createCloudWatchClient({ region: "eu-west-1", maxAttempts: 5 });
 */
export function createCloudWatchClient(opts: AwsClientOptions = {}): CloudWatchClient {
  return withPlugins(new CloudWatchClient(baseClientConfig(opts)), opts);
}

/**
 * Creates an ECS client with adaptive retries and bounded timeouts.
 *
 * @example
 * const ecs = createEcsClient({ region: "eu-west-1" });
 */
export function createEcsClient(opts: AwsClientOptions = {}): ECSClient {
  return withPlugins(new ECSClient(baseClientConfig(opts)), opts);
}

/**
 * Creates an ELBv2 client (target group -> load balancer lookups).
 *
 * @example
 * const elb = createElbv2Client({ region: "eu-west-1" });
 */
export function createElbv2Client(opts: AwsClientOptions = {}): ElasticLoadBalancingV2Client {
  return withPlugins(new ElasticLoadBalancingV2Client(baseClientConfig(opts)), opts);
}

/**
 * Creates an S3 client for the rollup bucket. Path-style addressing is forced when an
 * endpoint override is given, because loopback and LocalStack endpoints have no DNS per bucket.
 *
 * @example
 * const s3 = createS3Client({ region: "eu-west-1" });
 */
export function createS3Client(opts: AwsClientOptions = {}): S3Client {
  return withPlugins(
    new S3Client({ ...baseClientConfig(opts), forcePathStyle: opts.endpoint !== undefined }),
    opts,
  );
}

/**
 * Creates an Application Auto Scaling client (scalable targets, suspend/resume).
 *
 * @example
 * const aas = createAutoScalingClient({ region: "eu-west-1" });
 */
export function createAutoScalingClient(opts: AwsClientOptions = {}): ApplicationAutoScalingClient {
  return withPlugins(new ApplicationAutoScalingClient(baseClientConfig(opts)), opts);
}

/**
 * Creates an EC2 client (security groups and their rules, for the posture check).
 *
 * @example
 * const ec2 = createEc2Client({ region: "eu-west-1" });
 */
export function createEc2Client(opts: AwsClientOptions = {}): EC2Client {
  return withPlugins(new EC2Client(baseClientConfig(opts)), opts);
}

/**
 * Creates a VPC Lattice client (services and auth policies, for the posture check).
 *
 * @example
 * const lattice = createLatticeClient({ region: "eu-west-1" });
 */
export function createLatticeClient(opts: AwsClientOptions = {}): VPCLatticeClient {
  return withPlugins(new VPCLatticeClient(baseClientConfig(opts)), opts);
}
