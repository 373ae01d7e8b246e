import { callersOf, type FleetService, validateFleetCalls } from "../stacks/fleet.ts";
import type { StageProfile } from "../stacks/profile.ts";
import { InfraConfigError } from "./errors.ts";
import { componentName } from "./names.ts";

/**
 * Zero trust between the fleet's services, on what AWS supports after App Mesh:
 * - every service has its own security group admitting the ALB and its declared
 *   callers' security groups only (all stages; free);
 * - Service Connect TLS with certificates a short-lived-mode Private CA issues and ECS
 *   rotates: encryption and server authentication on every call (profile
 *   `serviceConnectTls`);
 * - VPC Lattice with `AWS_IAM` auth: callers sign with their task role (SigV4) and each
 *   service's auth policy admits its declared callers' roles only (`callerAuth`).
 */

/** The name of the container port Service Connect and Lattice target (task definition). */
export const MESH_PORT_NAME = "http";

/** Service Connect refuses an idle connection after this; long enough for a slow report. */
const SERVICE_CONNECT_IDLE_TIMEOUT_SECONDS = 60;

/** TLS 1.3 only at the edge: the canaries and browsers that call the ALB all speak it. */
export const EDGE_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-3-2021-06";

/** The tag Service Connect's managed infrastructure policy requires on the CA it uses. */
export const ECS_MANAGED_TAG = { AmazonECSManaged: "true" } as const;

/** AWS managed policies for the ECS infrastructure role, per feature. */
export const ECS_INFRASTRUCTURE_POLICIES = {
  tls: "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity",
  lattice: "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVpcLattice",
} as const;

/** Lattice names: 3-40 lowercase letters, digits and hyphens. */
const LATTICE_NAME = /^(?!-)[a-z0-9-]{3,40}(?<!-)$/;

/**
 * The Lattice service name for a fleet service in a stage (names are per account, and
 * two stages can share one).
 *
 * @example
 * latticeServiceName("production", "payment-service"); // "production-payment-service"
 */
export function latticeServiceName(stage: string, service: string): string {
  const name = `${stage}-${service}`.toLowerCase();
  if (!LATTICE_NAME.test(name)) {
    throw new InfraConfigError(
      `VPC Lattice service name "${name}" (stage "${stage}" + fleet service "${service}") must be 3-40 lowercase letters, digits or hyphens; use a shorter stage name or set callerAuth: "security-groups" in its stacks/ profile`,
    );
  }
  return name;
}

/** One IAM policy statement as Lattice auth policies take it. */
export interface AuthPolicyStatement {
  readonly Effect: "Allow";
  readonly Principal: { readonly AWS: string[] };
  readonly Action: "vpc-lattice-svcs:Invoke";
  readonly Resource: string;
}

/**
 * A Lattice auth policy that lets exactly `callerRoleArns` invoke `serviceArn` (any
 * path, any method). No callers: no statement, so Lattice's default deny refuses all.
 *
 * @example
 * authPolicyDocument("arn:aws:vpc-lattice:...:service/svc-1", ["arn:aws:iam::1:role/order"]);
 */
export function authPolicyDocument(
  serviceArn: string,
  callerRoleArns: readonly string[],
): { Version: "2012-10-17"; Statement: AuthPolicyStatement[] } {
  const principals = [...new Set(callerRoleArns)].sort();
  return {
    Version: "2012-10-17",
    Statement:
      principals.length === 0
        ? []
        : [
            {
              Effect: "Allow",
              Principal: { AWS: principals },
              Action: "vpc-lattice-svcs:Invoke",
              Resource: `${serviceArn}/*`,
            },
          ],
  };
}

/** How a service reaches one declared downstream, as the sample service reads it. */
export interface Downstream {
  readonly name: string;
  readonly url: string;
  /** `sigv4`: sign with the task role for Lattice `AWS_IAM` auth; `none`: Service Connect. */
  readonly auth: "sigv4" | "none";
}

/** Per-service pieces of the mesh the service definition wires in. */
export interface MeshService {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly lattice?: {
    readonly service: aws.vpclattice.Service;
    readonly targetGroup: aws.vpclattice.TargetGroup;
  };
}

export interface Mesh {
  readonly services: ReadonlyMap<string, MeshService>;
  /** The issuer of Service Connect certificates; absent where TLS is off. */
  readonly authority?: aws.acmpca.CertificateAuthority;
  /** The role ECS uses to issue certificates and register Lattice targets. */
  readonly infrastructureRole?: aws.iam.Role;
  readonly serviceNetwork?: aws.vpclattice.ServiceNetwork;
  readonly namespaceArn: $util.Output<string>;
}

/**
 * Declares the mesh before the services: security groups and their rules, the Private
 * CA (activated with its self-signed root certificate), the ECS infrastructure role and
 * the Lattice service network with one Lattice service per fleet service.
 *
 * @example
 * const mesh = createMesh({ vpc, alb, profile, fleet: FLEET });
 */
export function createMesh(input: {
  vpc: sst.aws.Vpc;
  alb: sst.aws.Alb;
  profile: StageProfile;
  fleet: readonly FleetService[];
}): Mesh {
  const { vpc, alb, profile, fleet } = input;
  validateFleetCalls(fleet);
  const posture = profile.zeroTrust;
  const lattice = posture.callerAuth === "lattice-iam";
  const region = aws.getRegionOutput().region;

  const groups = new Map<string, aws.ec2.SecurityGroup>();
  for (const spec of fleet) {
    groups.set(
      spec.name,
      new aws.ec2.SecurityGroup(`${componentName(spec.name)}SecurityGroup`, {
        vpcId: vpc.id,
        description: `${spec.name}: the ALB and declared callers only`,
        tags: { Service: spec.name },
      }),
    );
  }
  const latticePrefixList = lattice
    ? aws.ec2.getManagedPrefixListOutput({
        name: $interpolate`com.amazonaws.${region}.vpc-lattice`,
      })
    : undefined;
  for (const spec of fleet) {
    const id = componentName(spec.name);
    const group = groups.get(spec.name)!;
    // Tasks pull images, write logs and call AWS APIs through NAT: egress stays open.
    new aws.vpc.SecurityGroupEgressRule(`${id}Egress`, {
      securityGroupId: group.id,
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
      description: "ECR, logs, AWS APIs and declared downstreams",
    });
    new aws.vpc.SecurityGroupIngressRule(`${id}FromAlb`, {
      securityGroupId: group.id,
      referencedSecurityGroupId: alb.nodes.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: spec.port,
      toPort: spec.port,
      description: "alb",
      tags: { Service: spec.name, Caller: "alb" },
    });
    for (const caller of callersOf(fleet, spec.name)) {
      new aws.vpc.SecurityGroupIngressRule(`${id}From${componentName(caller)}`, {
        securityGroupId: group.id,
        referencedSecurityGroupId: groups.get(caller)!.id,
        ipProtocol: "tcp",
        fromPort: spec.port,
        toPort: spec.port,
        description: caller,
        tags: { Service: spec.name, Caller: caller },
      });
    }
    if (latticePrefixList) {
      // Lattice reaches targets from its managed prefix list; the auth policy decides who.
      new aws.vpc.SecurityGroupIngressRule(`${id}FromLattice`, {
        securityGroupId: group.id,
        prefixListId: latticePrefixList.id,
        ipProtocol: "tcp",
        fromPort: spec.port,
        toPort: spec.port,
        description: "vpc-lattice",
        tags: { Service: spec.name, Caller: "vpc-lattice" },
      });
    }
  }

  const authority = posture.serviceConnectTls ? createAuthority() : undefined;
  const infrastructureRole =
    posture.serviceConnectTls || lattice ? createInfrastructureRole() : undefined;
  const serviceNetwork = lattice ? createServiceNetwork() : undefined;

  const services = new Map<string, MeshService>();
  for (const spec of fleet) {
    const securityGroup = groups.get(spec.name)!;
    services.set(spec.name, {
      securityGroup,
      ...(serviceNetwork ? { lattice: createLatticeService(spec, serviceNetwork) } : {}),
    });
  }
  return {
    services,
    ...(authority ? { authority } : {}),
    ...(infrastructureRole ? { infrastructureRole } : {}),
    ...(serviceNetwork ? { serviceNetwork } : {}),
    namespaceArn: vpc.nodes.cloudmapNamespace.arn,
  };

  function createAuthority() {
    const partition = aws.getPartitionOutput().partition;
    const ca = new aws.acmpca.CertificateAuthority("MeshCertificateAuthority", {
      type: "ROOT",
      // $50/month instead of $400; ECS issues 5-day certificates and rotates them.
      usageMode: "SHORT_LIVED_CERTIFICATE",
      certificateAuthorityConfiguration: {
        keyAlgorithm: "EC_prime256v1",
        signingAlgorithm: "SHA256WITHECDSA",
        subject: { commonName: `${$app.name} ${$app.stage} service connect` },
      },
      permanentDeletionTimeInDays: 7,
      tags: { ...ECS_MANAGED_TAG },
    });
    const root = new aws.acmpca.Certificate("MeshRootCertificate", {
      certificateAuthorityArn: ca.arn,
      certificateSigningRequest: ca.certificateSigningRequest,
      signingAlgorithm: "SHA256WITHECDSA",
      templateArn: $interpolate`arn:${partition}:acm-pca:::template/RootCACertificate/V1`,
      validity: { type: "YEARS", value: "10" },
    });
    new aws.acmpca.CertificateAuthorityCertificate("MeshRootCertificateInstall", {
      certificateAuthorityArn: ca.arn,
      certificate: root.certificate,
      certificateChain: root.certificateChain,
    });
    return ca;
  }

  function createInfrastructureRole() {
    return new aws.iam.Role("MeshInfrastructureRole", {
      description: "ECS issues Service Connect certificates and registers Lattice targets",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "ecs.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      managedPolicyArns: [
        ...(posture.serviceConnectTls ? [ECS_INFRASTRUCTURE_POLICIES.tls] : []),
        ...(lattice ? [ECS_INFRASTRUCTURE_POLICIES.lattice] : []),
      ],
    });
  }

  function createServiceNetwork() {
    const network = new aws.vpclattice.ServiceNetwork("MeshServiceNetwork", {
      name: latticeServiceName($app.stage, "mesh"),
      authType: "AWS_IAM",
    });
    const accountId = aws.getCallerIdentityOutput().accountId;
    // The network admits signed callers of this account; each service's policy decides.
    new aws.vpclattice.AuthPolicy("MeshServiceNetworkAuthPolicy", {
      resourceIdentifier: network.arn,
      policy: $jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: "*",
            Action: "vpc-lattice-svcs:Invoke",
            Resource: "*",
            Condition: {
              StringEquals: { "aws:PrincipalAccount": accountId },
              StringNotEqualsIgnoreCase: { "aws:PrincipalType": "anonymous" },
            },
          },
        ],
      }),
    });
    // Only services that call someone may reach the network from the VPC.
    const clients = new aws.ec2.SecurityGroup("MeshLatticeClients", {
      vpcId: vpc.id,
      description: "VPC Lattice service network: declared callers only",
    });
    for (const spec of fleet.filter((s) => s.calls.length > 0)) {
      new aws.vpc.SecurityGroupIngressRule(`MeshLatticeFrom${componentName(spec.name)}`, {
        securityGroupId: clients.id,
        referencedSecurityGroupId: groups.get(spec.name)!.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: spec.name,
        tags: { Service: "vpc-lattice", Caller: spec.name },
      });
    }
    new aws.vpclattice.ServiceNetworkVpcAssociation("MeshServiceNetworkVpc", {
      vpcIdentifier: vpc.id,
      serviceNetworkIdentifier: network.id,
      securityGroupIds: [clients.id],
    });
    return network;
  }

  function createLatticeService(spec: FleetService, network: aws.vpclattice.ServiceNetwork) {
    const id = componentName(spec.name);
    const service = new aws.vpclattice.Service(`${id}Lattice`, {
      name: latticeServiceName($app.stage, spec.name),
      authType: "AWS_IAM",
      tags: { Service: spec.name },
    });
    const targetGroup = new aws.vpclattice.TargetGroup(`${id}LatticeTargets`, {
      name: latticeServiceName($app.stage, spec.name),
      type: "IP",
      config: {
        port: spec.port,
        protocol: "HTTP",
        vpcIdentifier: vpc.id,
        healthCheck: {
          enabled: true,
          path: spec.healthPath,
          healthCheckIntervalSeconds: 10,
          healthyThresholdCount: 3,
          unhealthyThresholdCount: 2,
        },
      },
      tags: { Service: spec.name },
    });
    new aws.vpclattice.Listener(`${id}LatticeListener`, {
      serviceIdentifier: service.id,
      protocol: "HTTPS",
      port: 443,
      defaultAction: {
        forwards: [{ targetGroups: [{ targetGroupIdentifier: targetGroup.id, weight: 100 }] }],
      },
    });
    new aws.vpclattice.ServiceNetworkServiceAssociation(`${id}LatticeAssociation`, {
      serviceIdentifier: service.id,
      serviceNetworkIdentifier: network.id,
    });
    return { service, targetGroup };
  }
}

/**
 * After the services exist (their task roles are the caller identities): one auth
 * policy per Lattice service admitting its declared callers' task roles.
 *
 * @example
 * authorizeCallers({ mesh, fleet: FLEET, taskRoles });
 */
export function authorizeCallers(input: {
  mesh: Mesh;
  fleet: readonly FleetService[];
  taskRoleArns: ReadonlyMap<string, $util.Output<string>>;
}): aws.vpclattice.AuthPolicy[] {
  const { mesh, fleet, taskRoleArns } = input;
  const policies: aws.vpclattice.AuthPolicy[] = [];
  for (const spec of fleet) {
    const lattice = mesh.services.get(spec.name)?.lattice;
    if (!lattice) continue;
    const callers = callersOf(fleet, spec.name).map((c) => taskRoleArns.get(c)!);
    policies.push(
      new aws.vpclattice.AuthPolicy(`${componentName(spec.name)}LatticeAuthPolicy`, {
        resourceIdentifier: lattice.service.arn,
        policy: $util
          .all([lattice.service.arn, ...callers])
          .apply(([arn, ...roles]) => JSON.stringify(authPolicyDocument(arn!, roles as string[]))),
      }),
    );
  }
  return policies;
}

/**
 * Where `spec` reaches each declared downstream: the Lattice service's HTTPS name with
 * SigV4 where the stage authenticates callers with Lattice, else the Service Connect
 * client alias (`http://payment-service:8083`; the proxy adds TLS when it is on). Under
 * `sst dev`, where the services run locally, `http://localhost:<port>`.
 *
 * @example
 * downstreamsOf(mesh, FLEET, orderService); // Output<'[{"name":"user-service",...}]'>
 */
export function downstreamsOf(
  mesh: Mesh,
  fleet: readonly FleetService[],
  spec: FleetService,
): $util.Output<string> {
  const entries = spec.calls.map((callee): $util.Output<Downstream> => {
    const target = fleet.find((s) => s.name === callee)!;
    const lattice = mesh.services.get(callee)?.lattice;
    if ($dev) {
      // `sst dev` runs every service on this machine, each on its own port.
      const local: Downstream = {
        name: callee,
        url: `http://localhost:${target.port}`,
        auth: "none",
      };
      return $util.output(local) as $util.Output<Downstream>;
    }
    if (!lattice) {
      const direct: Downstream = {
        name: callee,
        url: `http://${callee}:${target.port}`,
        auth: "none",
      };
      return $util.output(direct) as $util.Output<Downstream>;
    }
    return lattice.service.dnsEntries.apply(
      (dns): Downstream => ({
        name: callee,
        url: `https://${dns[0]?.domainName ?? ""}`,
        auth: "sigv4",
      }),
    );
  });
  return $util.all(entries).apply((list) => JSON.stringify(list));
}

/**
 * The ECS service's Service Connect block: the service is discoverable under its fleet
 * name and port, with TLS from the mesh CA where the stage turns it on.
 */
export function serviceConnectConfiguration(mesh: Mesh, spec: FleetService) {
  return {
    enabled: true,
    namespace: mesh.namespaceArn,
    services: [
      {
        portName: MESH_PORT_NAME,
        discoveryName: spec.name,
        clientAlias: [{ port: spec.port, dnsName: spec.name }],
        timeout: { idleTimeoutSeconds: SERVICE_CONNECT_IDLE_TIMEOUT_SECONDS },
        ...(mesh.authority && mesh.infrastructureRole
          ? {
              tls: {
                issuerCertAuthority: { awsPcaAuthorityArn: mesh.authority.arn },
                roleArn: mesh.infrastructureRole.arn,
              },
            }
          : {}),
      },
    ],
  };
}

/**
 * Names the container's port so Service Connect and Lattice can target it (SST maps
 * the whole 1-65535 range, which neither accepts).
 */
export function namePortMapping(containerDefinitionsJson: string, port: number): string {
  const containers = JSON.parse(containerDefinitionsJson) as Record<string, unknown>[];
  return JSON.stringify(
    containers.map((c) => ({
      ...c,
      portMappings: [
        {
          name: MESH_PORT_NAME,
          containerPort: port,
          hostPort: port,
          protocol: "tcp",
          appProtocol: "http",
        },
      ],
    })),
  );
}
