import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from "@aws-sdk/client-ecs";
import {
  GetAuthPolicyCommand,
  ListServicesCommand,
  VPCLatticeClient,
} from "@aws-sdk/client-vpc-lattice";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { PostureError } from "./errors.ts";
import {
  comparePosture,
  type DeclaredPosture,
  declaredPosture,
  type ObservedPosture,
  principalsOf,
  readPosture,
} from "./posture.ts";

const FLEET = [
  { name: "order-service", port: 8081, calls: ["payment-service"] },
  { name: "payment-service", port: 8083, calls: [] },
  { name: "audit-service", port: 8088, calls: [] },
];
const prod: DeclaredPosture = declaredPosture(
  "production",
  { serviceConnectTls: true, callerAuth: "lattice-iam", ecsExec: false },
  FLEET,
);
const CA = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/ca-1";
const role = (s: string) => `arn:aws:iam::111122223333:role/${s}-task`;

/** What a correct production deploy of FLEET looks like. */
function asDeclared(): ObservedPosture {
  return {
    services: [
      {
        name: "order-service",
        found: true,
        ecsExec: false,
        tlsIssuer: CA,
        admits: ["alb", "prefix-list:pl-1"],
        lattice: { authType: "AWS_IAM", callers: [] },
      },
      {
        name: "payment-service",
        found: true,
        ecsExec: false,
        tlsIssuer: CA,
        admits: ["alb", "order-service", "prefix-list:pl-1"],
        lattice: { authType: "AWS_IAM", callers: ["order-service"] },
      },
      {
        name: "audit-service",
        found: true,
        ecsExec: false,
        tlsIssuer: CA,
        admits: ["alb", "prefix-list:pl-1"],
        lattice: { authType: "AWS_IAM", callers: [] },
      },
    ],
  };
}

describe("declaredPosture", () => {
  it("turns each service's calls into its callee's callers", () => {
    expect(prod.services.map((s) => [s.name, s.callers])).toEqual([
      ["order-service", []],
      ["payment-service", ["order-service"]],
      ["audit-service", []],
    ]);
  });
});

describe("comparePosture", () => {
  it("finds nothing when the stage runs as declared", () => {
    expect(comparePosture(prod, asDeclared())).toEqual([]);
  });

  it("flags an undeclared caller, a VPC-wide rule and a missing declared caller", () => {
    const observed = asDeclared();
    const services = observed.services.map((s) =>
      s.name === "payment-service"
        ? { ...s, admits: ["alb", "audit-service", "cidr:10.0.0.0/16", "prefix-list:pl-1"] }
        : s,
    );
    const [finding, ...rest] = comparePosture(prod, { services });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ service: "payment-service", check: "ingress" });
    expect(finding?.message).toMatch(
      /admit undeclared audit-service, cidr:10\.0\.0\.0\/16 and do not admit declared order-service/,
    );
  });

  it("flags ECS Exec on in production, plain Service Connect, and a wrong auth policy", () => {
    const services = asDeclared().services.map((s) => {
      if (s.name === "order-service") return { ...s, ecsExec: true };
      if (s.name === "audit-service") {
        const { tlsIssuer: _, ...plain } = s;
        return { ...plain, lattice: { authType: "NONE", callers: [] } };
      }
      return {
        ...s,
        lattice: { authType: "AWS_IAM", callers: ["order-service", "audit-service"] },
      };
    });
    expect(comparePosture(prod, { services }).map((f) => [f.service, f.check])).toEqual([
      ["order-service", "ecs-exec"],
      ["payment-service", "lattice-auth"],
      ["audit-service", "tls"],
      ["audit-service", "lattice-auth"],
    ]);
  });

  it("refuses a Lattice prefix list where the stage does not use Lattice, and reports missing services", () => {
    const dev = declaredPosture(
      "dev",
      { serviceConnectTls: false, callerAuth: "security-groups", ecsExec: true },
      FLEET,
    );
    const services = asDeclared().services.map((s) =>
      s.name === "audit-service"
        ? { name: s.name, found: false, ecsExec: false, admits: [] }
        : { ...s, ecsExec: true },
    );
    expect(comparePosture(dev, { services }).map((f) => [f.service, f.check])).toEqual([
      ["order-service", "ingress"],
      ["payment-service", "ingress"],
      ["audit-service", "service"],
    ]);
  });
});

describe("principalsOf", () => {
  it("reads Allow principals, single or listed, and refuses junk", () => {
    const doc = JSON.stringify({
      Statement: [
        { Effect: "Allow", Principal: { AWS: [role("b"), role("a")] } },
        { Effect: "Deny", Principal: { AWS: role("c") } },
        { Effect: "Allow", Principal: "*" },
      ],
    });
    expect(principalsOf(doc)).toEqual([role("a"), role("b")]);
    expect(principalsOf(undefined)).toEqual([]);
    expect(() => principalsOf("{")).toThrow(PostureError);
  });
});

describe("readPosture", () => {
  const ecs = mockClient(ECSClient);
  const ec2 = mockClient(EC2Client);
  const lattice = mockClient(VPCLatticeClient);
  const clients = {
    ecs: new ECSClient({ region: "eu-west-1" }),
    ec2: new EC2Client({ region: "eu-west-1" }),
    lattice: new VPCLatticeClient({ region: "eu-west-1" }),
  };
  const sg = (s: string) => `sg-${s.split("-")[0]}`;
  const ingress = (
    group: string,
    port: number,
    from: Partial<SecurityGroupRule>,
  ): SecurityGroupRule => ({
    GroupId: group,
    IsEgress: false,
    IpProtocol: "tcp",
    FromPort: port,
    ToPort: port,
    ...from,
  });

  beforeEach(() => {
    ecs.reset();
    ec2.reset();
    lattice.reset();
    ecs.on(DescribeServicesCommand).resolves({
      services: FLEET.map((f) => ({
        serviceName: f.name,
        enableExecuteCommand: false,
        taskDefinition: `arn:aws:ecs:eu-west-1:111122223333:task-definition/${f.name}:3`,
        networkConfiguration: {
          awsvpcConfiguration: { subnets: [], securityGroups: [sg(f.name)] },
        },
        deployments: [
          {
            status: "PRIMARY",
            serviceConnectConfiguration: {
              enabled: true,
              services: [
                {
                  portName: "http",
                  tls: { issuerCertificateAuthority: { awsPcaAuthorityArn: CA } },
                },
              ],
            },
          },
        ],
      })),
    });
    ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => ({
      taskDefinition: { taskRoleArn: role(input.taskDefinition.split("/")[1]!.split(":")[0]!) },
    }));
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        ...FLEET.map((f) =>
          ingress(sg(f.name), f.port, { ReferencedGroupInfo: { GroupId: "sg-alb" } }),
        ),
        ...FLEET.map((f) => ingress(sg(f.name), f.port, { PrefixListId: "pl-1" })),
        ingress(sg("payment-service"), 8083, {
          ReferencedGroupInfo: { GroupId: sg("order-service") },
        }),
        { GroupId: sg("payment-service"), IsEgress: true, IpProtocol: "-1", CidrIpv4: "0.0.0.0/0" },
        // Another port of the same group does not admit anyone to the service.
        ingress(sg("audit-service"), 22, { CidrIpv4: "10.0.0.0/16" }),
      ],
    });
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        ...FLEET.map((f) => ({ GroupId: sg(f.name), Tags: [{ Key: "Service", Value: f.name }] })),
        { GroupId: "sg-alb", Tags: [{ Key: "Service", Value: "alb" }] },
      ],
    });
    lattice
      .on(ListServicesCommand, { nextToken: undefined })
      .resolves({
        items: [{ name: "production-order-service", arn: "arn:svc/order" }],
        nextToken: "p2",
      })
      .on(ListServicesCommand, { nextToken: "p2" })
      .resolves({
        items: [
          { name: "production-payment-service", arn: "arn:svc/payment" },
          { name: "production-audit-service", arn: "arn:svc/audit" },
          { name: "staging-payment-service", arn: "arn:svc/staging-payment" },
        ],
      });
    const policy = (principals: string[]) =>
      JSON.stringify({
        Statement: principals.length ? [{ Effect: "Allow", Principal: { AWS: principals } }] : [],
      });
    lattice.on(GetAuthPolicyCommand).callsFake((input: { resourceIdentifier: string }) => ({
      state: "Active",
      policy:
        input.resourceIdentifier === "arn:svc/payment"
          ? policy([role("order-service")])
          : policy([]),
    }));
  });

  it("reads a stage deployed as declared back into no findings", async () => {
    const observed = await readPosture(clients, { cluster: "fleet", declared: prod });
    expect(observed.services.find((s) => s.name === "payment-service")).toEqual({
      name: "payment-service",
      found: true,
      ecsExec: false,
      tlsIssuer: CA,
      admits: ["alb", "order-service", "prefix-list:pl-1"],
      lattice: { authType: "AWS_IAM", callers: ["order-service"] },
    });
    expect(comparePosture(prod, observed)).toEqual([]);
    // Every page of Lattice services, one auth policy per fleet service of this stage.
    expect(lattice.commandCalls(ListServicesCommand)).toHaveLength(2);
    expect(
      lattice
        .commandCalls(GetAuthPolicyCommand)
        .map((c) => c.args[0].input.resourceIdentifier)
        .sort(),
    ).toEqual(["arn:svc/audit", "arn:svc/order", "arn:svc/payment"]);
  });

  it("batches DescribeServices by 10 and skips Lattice where it is not declared", async () => {
    const many = declaredPosture(
      "dev",
      { serviceConnectTls: false, callerAuth: "security-groups", ecsExec: true },
      Array.from({ length: 23 }, (_, i) => ({ name: `svc-${i}`, port: 8000 + i, calls: [] })),
    );
    const observed = await readPosture(clients, { cluster: "fleet", declared: many });
    expect(
      ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services?.length),
    ).toEqual([10, 10, 3]);
    expect(lattice.commandCalls(ListServicesCommand)).toHaveLength(0);
    // None of these names exist in the mocked cluster: each is reported missing.
    expect(comparePosture(many, observed).every((f) => f.check === "service")).toBe(true);
  });

  it("names the failing API and the policy to check", async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).rejects(
      Object.assign(new Error("not authorized to perform ec2:DescribeSecurityGroupRules"), {
        name: "UnauthorizedOperation",
      }),
    );
    await expect(readPosture(clients, { cluster: "fleet", declared: prod })).rejects.toThrow(
      /ec2:DescribeSecurityGroupRules failed .*operator policy/,
    );
  });
});
