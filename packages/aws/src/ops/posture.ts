import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import {
  GetAuthPolicyCommand,
  ListServicesCommand,
  type VPCLatticeClient,
} from "@aws-sdk/client-vpc-lattice";
import { PostureError } from "./errors.ts";

/**
 * The zero-trust posture check behind `slo doctor`: what the stage profile and the
 * fleet declare (stacks/) against what ECS, EC2 and VPC Lattice report as deployed.
 * `comparePosture` is pure; `readPosture` is the AWS reader (read-only calls, listed in
 * the operator policy).
 */

/** The posture one stage declares (stacks/ profile `zeroTrust` + fleet `calls`). */
export interface DeclaredPosture {
  readonly stage: string;
  readonly serviceConnectTls: boolean;
  readonly callerAuth: "lattice-iam" | "security-groups";
  readonly ecsExec: boolean;
  readonly services: readonly {
    readonly name: string;
    readonly port: number;
    /** Fleet services that declare they call this one. */
    readonly callers: readonly string[];
  }[];
}

/**
 * The declared posture from a profile's `zeroTrust` and the fleet (structural, so this
 * package needs no import from stacks/).
 *
 * @example
 * declaredPosture("production", resolveStage("production").profile.zeroTrust, FLEET);
 */
export function declaredPosture(
  stage: string,
  zeroTrust: Pick<DeclaredPosture, "serviceConnectTls" | "callerAuth" | "ecsExec">,
  fleet: readonly { name: string; port: number; calls: readonly string[] }[],
): DeclaredPosture {
  return {
    stage,
    serviceConnectTls: zeroTrust.serviceConnectTls,
    callerAuth: zeroTrust.callerAuth,
    ecsExec: zeroTrust.ecsExec,
    services: fleet.map((s) => ({
      name: s.name,
      port: s.port,
      callers: fleet.filter((c) => c.calls.includes(s.name)).map((c) => c.name),
    })),
  };
}

/** One service as deployed. Security groups and roles are resolved to fleet names. */
export interface ObservedService {
  readonly name: string;
  /** False when ECS does not know the service: every other field is then empty. */
  readonly found: boolean;
  readonly ecsExec: boolean;
  /** The Private CA issuing its Service Connect certificates; absent without TLS. */
  readonly tlsIssuer?: string;
  /** Whom its security groups admit on its port: `alb`, fleet names, `prefix-list:<id>`, `cidr:<range>`, `sg:<id>`. */
  readonly admits: readonly string[];
  /** Lattice auth type and admitted callers (fleet names, or the raw principal). */
  readonly lattice?: { readonly authType: string; readonly callers: readonly string[] };
}

export interface ObservedPosture {
  readonly services: readonly ObservedService[];
}

export type PostureCheck = "service" | "ecs-exec" | "tls" | "ingress" | "lattice-auth";

/** One difference between declared and deployed; the message says what to do. */
export interface PostureFinding {
  readonly service: string;
  readonly check: PostureCheck;
  readonly declared: string;
  readonly observed: string;
  readonly message: string;
}

const list = (xs: readonly string[]) => (xs.length ? [...xs].sort().join(", ") : "none");

/**
 * Differences between the declared and the deployed posture, one per service and
 * check: a service missing, ECS Exec on where it is declared off, TLS missing, any
 * ingress beyond the ALB and the declared callers (plus Lattice's prefix list where
 * Lattice is declared), a Lattice auth policy that admits other callers. Empty: the
 * stage runs as declared.
 *
 * @example
 * comparePosture(declared, observed); // [{ service: "payment-service", check: "ingress", ... }]
 */
export function comparePosture(
  declared: DeclaredPosture,
  observed: ObservedPosture,
): PostureFinding[] {
  const findings: PostureFinding[] = [];
  const lattice = declared.callerAuth === "lattice-iam";
  for (const want of declared.services) {
    const got = observed.services.find((s) => s.name === want.name);
    const add = (check: PostureCheck, d: string, o: string, message: string) =>
      findings.push({ service: want.name, check, declared: d, observed: o, message });
    if (!got?.found) {
      add(
        "service",
        "deployed",
        "missing",
        `${want.name} is not deployed; run sst deploy --stage ${declared.stage}`,
      );
      continue;
    }
    if (got.ecsExec && !declared.ecsExec) {
      add(
        "ecs-exec",
        "off",
        "on",
        `ECS Exec is on for ${want.name} but the ${declared.stage} profile turns it off; redeploy (sst deploy) to apply enableExecuteCommand=false`,
      );
    }
    if (declared.serviceConnectTls && !got.tlsIssuer) {
      add(
        "tls",
        "Service Connect TLS",
        "plain",
        `${want.name} runs Service Connect without TLS; redeploy so the service picks up the mesh CA`,
      );
    }
    const allowed = new Set(["alb", ...want.callers]);
    const extra = got.admits.filter(
      (a) => !allowed.has(a) && !(lattice && a.startsWith("prefix-list:")),
    );
    const missing = want.callers.filter((c) => !got.admits.includes(c));
    if (extra.length > 0 || missing.length > 0) {
      add(
        "ingress",
        list(["alb", ...want.callers]),
        list(got.admits),
        `${want.name}'s security groups ${extra.length ? `admit undeclared ${list(extra)}` : ""}${extra.length && missing.length ? " and " : ""}${missing.length ? `do not admit declared ${list(missing)}` : ""}; declare callers in stacks/fleet.ts calls and redeploy, or remove rules added by hand`,
      );
    }
    if (lattice) {
      const callers = got.lattice?.callers ?? [];
      const same = got.lattice?.authType === "AWS_IAM" && list(callers) === list(want.callers);
      if (!same) {
        add(
          "lattice-auth",
          `AWS_IAM: ${list(want.callers)}`,
          got.lattice ? `${got.lattice.authType}: ${list(callers)}` : "no Lattice service",
          `${want.name}'s Lattice auth policy does not admit exactly its declared callers; redeploy (sst deploy --stage ${declared.stage})`,
        );
      }
    }
  }
  return findings;
}

/** The AWS clients the reader uses. */
export interface PostureClients {
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly lattice: VPCLatticeClient;
}

const chunks = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/**
 * Reads the deployed posture: DescribeServices (10 per call) for ECS Exec, Service
 * Connect TLS, security groups and task definitions; DescribeSecurityGroups and
 * DescribeSecurityGroupRules for ingress (groups resolved by their `Service` tag);
 * where Lattice is declared, ListServices, GetAuthPolicy and DescribeTaskDefinition
 * (task role ARN -> fleet service).
 *
 * @throws PostureError naming the API when a call fails.
 * @example
 * const observed = await readPosture(clients, { cluster, declared });
 * comparePosture(declared, observed);
 */
export async function readPosture(
  clients: PostureClients,
  input: { cluster: string; declared: DeclaredPosture },
): Promise<ObservedPosture> {
  const { cluster, declared } = input;
  const names = declared.services.map((s) => s.name);
  const ecsServices = (
    await Promise.all(
      chunks(names, 10).map((batch) =>
        call("ecs:DescribeServices", () =>
          clients.ecs.send(new DescribeServicesCommand({ cluster, services: batch })),
        ),
      ),
    )
  ).flatMap((r) => r.services ?? []);

  const groupsOf = (s: (typeof ecsServices)[number]) =>
    s.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
  const ownGroups = [...new Set(ecsServices.flatMap(groupsOf))];
  const rules =
    ownGroups.length === 0
      ? []
      : ((
          await call("ec2:DescribeSecurityGroupRules", () =>
            clients.ec2.send(
              new DescribeSecurityGroupRulesCommand({
                Filters: [{ Name: "group-id", Values: ownGroups }],
              }),
            ),
          )
        ).SecurityGroupRules ?? []);
  const referenced = rules.flatMap((r) => r.ReferencedGroupInfo?.GroupId ?? []);
  const allGroups = [...new Set([...ownGroups, ...referenced])];
  const groupNames = new Map<string, string>();
  if (allGroups.length > 0) {
    const described = await call("ec2:DescribeSecurityGroups", () =>
      clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: allGroups })),
    );
    for (const g of described.SecurityGroups ?? []) {
      const tag = g.Tags?.find((t) => t.Key === "Service")?.Value;
      if (g.GroupId && tag) groupNames.set(g.GroupId, tag);
    }
  }

  const latticeView = declared.callerAuth === "lattice-iam" ? await readLattice() : undefined;

  return {
    services: declared.services.map((want): ObservedService => {
      const s = ecsServices.find((x) => x.serviceName === want.name);
      if (!s) return { name: want.name, found: false, ecsExec: false, admits: [] };
      const primary = s.deployments?.find((d) => d.status === "PRIMARY");
      const tlsIssuer = primary?.serviceConnectConfiguration?.services
        ?.map((c) => c.tls?.issuerCertificateAuthority?.awsPcaAuthorityArn)
        .find((arn) => arn !== undefined);
      const mine = new Set(groupsOf(s));
      const admits = rules
        .filter((r) => !r.IsEgress && r.GroupId && mine.has(r.GroupId))
        .filter(
          (r) =>
            r.IpProtocol === "-1" ||
            ((r.FromPort ?? 0) <= want.port && want.port <= (r.ToPort ?? 0)),
        )
        .map((r) => {
          if (r.PrefixListId) return `prefix-list:${r.PrefixListId}`;
          if (r.CidrIpv4) return `cidr:${r.CidrIpv4}`;
          if (r.CidrIpv6) return `cidr:${r.CidrIpv6}`;
          const ref = r.ReferencedGroupInfo?.GroupId ?? "";
          return groupNames.get(ref) ?? `sg:${ref}`;
        });
      const lattice = latticeView?.get(want.name);
      return {
        name: want.name,
        found: true,
        ecsExec: s.enableExecuteCommand === true,
        ...(tlsIssuer ? { tlsIssuer } : {}),
        admits: [...new Set(admits)].sort(),
        ...(lattice ? { lattice } : {}),
      };
    }),
  };

  async function readLattice(): Promise<Map<string, { authType: string; callers: string[] }>> {
    // Task role ARN -> fleet service: the identity Lattice sees for each caller.
    const roleOwner = new Map<string, string>();
    for (const s of ecsServices) {
      if (!s.taskDefinition || !s.serviceName) continue;
      const td = await call("ecs:DescribeTaskDefinition", () =>
        clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.taskDefinition })),
      );
      const roleArn = td.taskDefinition?.taskRoleArn;
      if (roleArn) roleOwner.set(roleArn, s.serviceName);
    }
    const byName = new Map<string, { arn: string }>();
    let nextToken: string | undefined;
    do {
      const page = await call("vpc-lattice:ListServices", () =>
        clients.lattice.send(new ListServicesCommand({ nextToken })),
      );
      for (const item of page.items ?? []) {
        if (item.name && item.arn) byName.set(item.name, { arn: item.arn });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    const out = new Map<string, { authType: string; callers: string[] }>();
    for (const name of names) {
      const svc = byName.get(`${declared.stage}-${name}`.toLowerCase());
      if (!svc) continue;
      const policy = await call("vpc-lattice:GetAuthPolicy", () =>
        clients.lattice.send(new GetAuthPolicyCommand({ resourceIdentifier: svc.arn })),
      );
      out.set(name, {
        // AWS: the policy is Active only while the service's auth type is AWS_IAM.
        authType: policy.state === "Active" ? "AWS_IAM" : "NONE",
        callers: principalsOf(policy.policy).map((p) => roleOwner.get(p) ?? p),
      });
    }
    return out;
  }
}

/** Allowed AWS principals of an auth policy document (empty for none or no Allow). */
export function principalsOf(policy: string | undefined): string[] {
  if (!policy) return [];
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch (cause) {
    throw new PostureError("the Lattice auth policy is not JSON", { cause });
  }
  const statements = [doc.Statement ?? []].flat() as {
    Effect?: string;
    Principal?: { AWS?: string | string[] } | string;
  }[];
  return statements
    .filter((s) => s.Effect === "Allow" && typeof s.Principal === "object")
    .flatMap((s) => [(s.Principal as { AWS?: string | string[] }).AWS ?? []].flat())
    .sort();
}

async function call<T>(api: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (cause) {
    throw new PostureError(
      `${api} failed while reading the deployed posture: ${(cause as Error).message}; check the operator policy (infra/operator-policy.ts) is attached`,
      { cause },
    );
  }
}
