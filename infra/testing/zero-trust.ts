import { PRICES } from "../../packages/core/src/cost/index.ts";
import type { FleetService } from "../../stacks/fleet.ts";
import { componentName } from "../names.ts";
import { arnFor, type ResourceRecord } from "./mocks.ts";
import type { PlanOutput } from "./plan-types.ts";

/** What one service's plan declares about who reaches it and how. */
export interface PlannedServicePosture {
  /** Callers its security group admits on its port: `alb`, `vpc-lattice` or fleet names. */
  readonly admits: string[];
  /** Security groups the ECS service runs in (deploy only; `sst dev` runs no task). */
  readonly securityGroups?: string[];
  /** Service Connect TLS issuer ARN, when the service has TLS. */
  readonly tlsIssuer?: string;
  readonly ecsExec?: boolean;
  /** Fleet services whose task roles the Lattice auth policy admits; absent without Lattice. */
  readonly latticeCallers?: string[];
}

export interface PlannedPosture {
  readonly issuer?: { readonly usageMode: unknown; readonly type: unknown; readonly name: string };
  readonly serviceNetworkAuth?: unknown;
  readonly edge: {
    readonly listeners: string[];
    readonly sslPolicy?: unknown;
    readonly redirect: boolean;
  };
  readonly services: Record<string, PlannedServicePosture>;
}

const of = (plan: Pick<PlanOutput, "resources">, type: string): ResourceRecord[] =>
  plan.resources.filter((r) => r.type === type);

const idOf = (r: ResourceRecord) => `${r.name}-id`;

/**
 * Reads the zero-trust posture back out of a plan (the mocks' ids are `<name>-id`):
 * per service, whom its security group admits, its TLS issuer, ECS Exec and the
 * callers its Lattice auth policy names. `infra:plan --json` prints it as `zero_trust`.
 *
 * @example
 * plannedPosture(plan, FLEET).services["payment-service"].admits; // ["alb", "order-service", "vpc-lattice"]
 */
export function plannedPosture(
  plan: Pick<PlanOutput, "resources">,
  fleet: readonly FleetService[],
): PlannedPosture {
  const bySecurityGroup = new Map<string, string>();
  for (const g of of(plan, "aws:ec2/securityGroup:SecurityGroup")) {
    const tagged = (g.inputs.tags as Record<string, string> | undefined)?.Service;
    if (tagged) bySecurityGroup.set(idOf(g), tagged);
    if (g.name === "AlbSecurityGroup") bySecurityGroup.set(idOf(g), "alb");
  }
  const serviceByRoleArn = new Map<string, string>();
  for (const spec of fleet) {
    const role = plan.resources.find(
      (r) => r.type === "aws:iam/role:Role" && r.name === `${componentName(spec.name)}TaskRole`,
    );
    if (role) serviceByRoleArn.set(arnFor(role.type, role.name, role.inputs), spec.name);
  }
  const latticeByArn = new Map<string, string>();
  for (const s of of(plan, "aws:vpclattice/service:Service")) {
    const tagged = (s.inputs.tags as Record<string, string> | undefined)?.Service;
    if (tagged) latticeByArn.set(arnFor(s.type, s.name, s.inputs), tagged);
  }

  const services: Record<string, PlannedServicePosture> = {};
  for (const spec of fleet) {
    const own = [...bySecurityGroup].find(([, s]) => s === spec.name)?.[0];
    const admits = of(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .filter((r) => r.inputs.securityGroupId === own)
      .filter((r) => Number(r.inputs.fromPort) <= spec.port && spec.port <= Number(r.inputs.toPort))
      .map((r) => {
        if (r.inputs.prefixListId !== undefined) return "vpc-lattice";
        if (r.inputs.cidrIpv4 !== undefined) return `cidr:${String(r.inputs.cidrIpv4)}`;
        const ref = String(r.inputs.referencedSecurityGroupId);
        return bySecurityGroup.get(ref) ?? `sg:${ref}`;
      })
      .sort();
    const ecs = of(plan, "aws:ecs/service:Service").find((s) => s.inputs.name === spec.name);
    const connect = ecs?.inputs.serviceConnectConfiguration as
      | { services?: { tls?: { issuerCertAuthority?: { awsPcaAuthorityArn?: string } } }[] }
      | undefined;
    const issuer = connect?.services?.[0]?.tls?.issuerCertAuthority?.awsPcaAuthorityArn;
    const network = ecs?.inputs.networkConfiguration as { securityGroups?: string[] } | undefined;
    const latticeArn = [...latticeByArn].find(([, s]) => s === spec.name)?.[0];
    const policy = of(plan, "aws:vpclattice/authPolicy:AuthPolicy").find(
      (p) => p.inputs.resourceIdentifier === latticeArn,
    );
    const latticeCallers = policy
      ? (
          JSON.parse(String(policy.inputs.policy)) as {
            Statement: { Principal: { AWS: string[] } }[];
          }
        ).Statement.flatMap((s) => s.Principal.AWS)
          .map((arn) => serviceByRoleArn.get(arn) ?? arn)
          .sort()
      : undefined;
    services[spec.name] = {
      admits,
      ...(network?.securityGroups
        ? { securityGroups: network.securityGroups.map((g) => bySecurityGroup.get(g) ?? g) }
        : {}),
      ...(issuer ? { tlsIssuer: issuer } : {}),
      ...(ecs ? { ecsExec: ecs.inputs.enableExecuteCommand === true } : {}),
      ...(latticeCallers ? { latticeCallers } : {}),
    };
  }

  const ca = of(plan, "aws:acmpca/certificateAuthority:CertificateAuthority")[0];
  const network = of(plan, "aws:vpclattice/serviceNetwork:ServiceNetwork")[0];
  const listeners = of(plan, "aws:lb/listener:Listener");
  const https = listeners.find((l) => l.inputs.protocol === "HTTPS");
  const http = listeners.find((l) => l.inputs.protocol === "HTTP");
  const redirect = (http?.inputs.defaultActions as { type?: string }[] | undefined)?.some(
    (a) => a.type === "redirect",
  );
  return {
    ...(ca
      ? { issuer: { name: ca.name, type: ca.inputs.type, usageMode: ca.inputs.usageMode } }
      : {}),
    ...(network ? { serviceNetworkAuth: network.inputs.authType } : {}),
    edge: {
      listeners: listeners
        .map((l) => `${String(l.inputs.port)}/${String(l.inputs.protocol)}`)
        .sort(),
      ...(https ? { sslPolicy: https.inputs.sslPolicy } : {}),
      redirect: redirect === true,
    },
    services,
  };
}

/**
 * What the plan's mesh costs a month at list price before traffic: the Private CAs and
 * the Lattice services it declares; `perGb` is what each GB through Lattice adds.
 *
 * @example
 * meshCost(productionPlan); // { certificate_authorities: 1, lattice_services: 10, monthly_usd: 230, per_gb_usd: 0.025 }
 */
export function meshCost(plan: Pick<PlanOutput, "resources">) {
  const cas = of(plan, "aws:acmpca/certificateAuthority:CertificateAuthority");
  const shortLived = cas.filter((c) => c.inputs.usageMode === "SHORT_LIVED_CERTIFICATE").length;
  const lattice = of(plan, "aws:vpclattice/service:Service").length;
  const p = PRICES;
  const usd =
    shortLived * p.privateCaShortLivedMonth +
    (cas.length - shortLived) * p.privateCaGeneralPurposeMonth +
    lattice * p.latticeServiceHour * p.hoursPerMonth;
  return {
    certificate_authorities: cas.length,
    lattice_services: lattice,
    monthly_usd: Math.round(usd * 100) / 100,
    per_gb_usd: lattice > 0 ? p.latticePerGb : 0,
  };
}
