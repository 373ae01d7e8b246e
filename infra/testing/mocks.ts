import { createHash } from "node:crypto";
import { type DocStatement, policyDocumentJson } from "./iam-json.ts";

/** One resource the app declared, with its inputs as the provider would receive them. */
export interface ResourceRecord {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** Fixed identity of the fake account the plan runs against. */
export const MOCK_ACCOUNT = { region: "us-east-1", accountId: "123456789012", partition: "aws" };

const AZS = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];

interface MockResourceArgs {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
interface MockCallArgs {
  token: string;
  inputs: Record<string, unknown>;
}

export function arnFor(type: string, name: string, inputs: Record<string, unknown>): string {
  const { region, accountId } = MOCK_ACCOUNT;
  const [, module = "", kind = ""] = /^aws:([^/]+)\/([^:]+):/.exec(type) ?? [];
  switch (type) {
    case "aws:lb/loadBalancer:LoadBalancer":
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/app/${name.slice(0, 32)}/50dc6c495c0c9188`;
    case "aws:lb/targetGroup:TargetGroup":
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${name.slice(0, 32)}/73e2d6bc24d8a067`;
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      return `arn:aws:s3:::${String(inputs.bucket ?? name)}`;
    case "aws:sqs/queue:Queue":
      return `arn:aws:sqs:${region}:${accountId}:${String(inputs.name ?? name)}`;
    case "aws:iam/role:Role":
      return `arn:aws:iam::${accountId}:role/${String(inputs.name ?? name)}`;
    case "aws:iam/policy:Policy":
      return `arn:aws:iam::${accountId}:policy/${String(inputs.name ?? name)}`;
    // Real shapes, so ARNs recorded from calls compare with the planned policies'.
    case "aws:sns/topic:Topic":
      return `arn:aws:sns:${region}:${accountId}:${String(inputs.name ?? name)}`;
    case "aws:lambda/function:Function":
      return `arn:aws:lambda:${region}:${accountId}:function:${String(inputs.name ?? name)}`;
    case "aws:sfn/stateMachine:StateMachine":
      return `arn:aws:states:${region}:${accountId}:stateMachine:${String(inputs.name ?? name)}`;
    default:
      return `arn:aws:${module}:${region}:${accountId}:${kind.toLowerCase()}/${String(inputs.name ?? name)}`;
  }
}

/**
 * Pulumi mocks that record every resource and answer the provider functions the app
 * calls (region, partition, caller identity, AZs, AMIs, ECR tokens) with a fixed fake
 * account. `getPolicyDocument` echoes its inputs plus the rendered JSON, so inline
 * IAM policies keep their statements.
 */
export function createMocks() {
  const resources: ResourceRecord[] = [];
  // Buckets whose versioning was enabled before an object was written to them: S3
  // gives an object a version id only then (an object written earlier has `null`).
  const versioned = new Set<string>();
  const calls: { token: string; inputs: Record<string, unknown> }[] = [];
  const mocks = {
    newResource(args: MockResourceArgs) {
      resources.push({ type: args.type, name: args.name, inputs: args.inputs });
      const state: Record<string, unknown> = {
        ...args.inputs,
        arn: args.inputs.arn ?? arnFor(args.type, args.name, args.inputs),
        name: args.inputs.name ?? args.name,
      };
      if (args.type.startsWith("aws:s3/bucket")) state.bucket = args.inputs.bucket ?? args.name;
      if (args.type === "aws:lb/loadBalancer:LoadBalancer") {
        state.dnsName = `${args.name}.${MOCK_ACCOUNT.region}.elb.amazonaws.com`;
      }
      if (isVersioning(args.type, args.inputs)) versioned.add(String(args.inputs.bucket));
      if (args.type === "aws:s3/bucketV2:BucketV2" || args.type === "aws:s3/bucket:Bucket") {
        const inline = args.inputs.versioning as { enabled?: boolean } | undefined;
        if (inline?.enabled === true) versioned.add(String(state.bucket));
      }
      if (OBJECT_TYPES.has(args.type)) {
        const bucket = String(args.inputs.bucket);
        state.versionId = versioned.has(bucket) ? versionIdFor(bucket, args.inputs.key) : "";
      }
      if (args.type === "aws:sqs/queue:Queue") {
        state.url = `https://sqs.${MOCK_ACCOUNT.region}.amazonaws.com/${MOCK_ACCOUNT.accountId}/${String(state.name)}`;
      }
      if (args.type === "aws:ec2/vpc:Vpc") state.defaultSecurityGroupId = `${args.name}-sg`;
      // Lattice names a service `<name>-<id>.<hash>.vpc-lattice-svcs.<region>.on.aws`.
      if (args.type === "aws:vpclattice/service:Service") {
        state.dnsEntries = [
          {
            domainName: `${String(state.name)}-0a1b2c3d4e5f6a7b8.7d67968.vpc-lattice-svcs.${MOCK_ACCOUNT.region}.on.aws`,
            hostedZoneId: "Z0MOCKLATTICE",
          },
        ];
      }
      return { id: `${args.name}-id`, state };
    },
    call(args: MockCallArgs): Record<string, unknown> {
      calls.push({ token: args.token, inputs: args.inputs });
      const { region, accountId, partition } = MOCK_ACCOUNT;
      switch (args.token) {
        case "aws:index/getRegion:getRegion":
          return { name: region, region, id: region };
        case "aws:index/getPartition:getPartition":
          return { partition, dnsSuffix: "amazonaws.com", id: partition };
        case "aws:index/getCallerIdentity:getCallerIdentity":
          return {
            accountId,
            arn: `arn:aws:iam::${accountId}:user/plan`,
            userId: "plan",
            id: accountId,
          };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
          return { names: AZS, zoneIds: AZS.map((_, i) => `use1-az${i + 1}`), id: region };
        case "aws:iam/getPolicyDocument:getPolicyDocument":
          return {
            ...args.inputs,
            json: policyDocumentJson(args.inputs as { statements?: DocStatement[] }),
          };
        case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
          return { ...args.inputs, id: "pl-0lattice00000000", entries: [] };
        case "aws:ec2/getAmi:getAmi":
          return { ...args.inputs, id: "ami-0fcknat000000000", architecture: "arm64" };
        case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
          return {
            userName: "AWS",
            password: "mock-token",
            proxyEndpoint: `https://${accountId}.dkr.ecr.${region}.amazonaws.com`,
            authorizationToken: "mock",
            id: region,
          };
        default:
          return args.inputs;
      }
    },
  };
  return { mocks, resources, calls };
}

const OBJECT_TYPES = new Set([
  "aws:s3/bucketObject:BucketObject",
  "aws:s3/bucketObjectv2:BucketObjectv2",
]);

function isVersioning(type: string, inputs: Record<string, unknown>): boolean {
  if (
    type !== "aws:s3/bucketVersioning:BucketVersioning" &&
    type !== "aws:s3/bucketVersioningV2:BucketVersioningV2"
  ) {
    return false;
  }
  const config = inputs.versioningConfiguration as { status?: string } | undefined;
  return config?.status === "Enabled";
}

/** An opaque 32-character id like S3's, stable for one bucket and key. */
function versionIdFor(bucket: string, key: unknown): string {
  return createHash("sha256")
    .update(`${bucket}/${String(key)}`)
    .digest("base64url")
    .slice(0, 32);
}
