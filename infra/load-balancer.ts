import type { StageProfile } from "../stacks/profile.ts";
import { EDGE_TLS_POLICY } from "./mesh.ts";

/**
 * One internet-facing ALB shared by the whole fleet; each service adds a path rule
 * (`/<service>/*`). Cross-zone load balancing is set explicitly so an uneven task
 * spread across AZs still gets even traffic per task. When the stage names a domain,
 * HTTPS:443 (ACM certificate, TLS 1.3 policy) carries the rules and HTTP:80 only
 * redirects to it.
 *
 * @example
 * const alb = createLoadBalancer(vpc, resolveStage("production").profile);
 */
export function createLoadBalancer(vpc: sst.aws.Vpc, profile: StageProfile) {
  const { domain, certificateArn } = profile.zeroTrust;
  return new sst.aws.Alb("Alb", {
    vpc,
    ...(domain
      ? { domain: certificateArn ? { name: domain, cert: certificateArn, dns: false } : domain }
      : {}),
    listeners: domain
      ? [
          { port: 80, protocol: "http" },
          { port: 443, protocol: "https" },
        ]
      : [{ port: 80, protocol: "http" }],
    transform: {
      loadBalancer: (args) => {
        args.enableCrossZoneLoadBalancing = true;
      },
      // The posture check (packages/aws ops/posture.ts) names security groups by this tag.
      securityGroup: (args) => {
        args.tags = { ...(args.tags as Record<string, string> | undefined), Service: "alb" };
      },
      listener: (args) => {
        if (!domain) return;
        if (args.protocol === "HTTPS") {
          args.sslPolicy = EDGE_TLS_POLICY;
          return;
        }
        args.defaultActions = [
          {
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
          },
        ];
      },
    },
  });
}

/** A listener on the shared ALB, keyed as SST's Service `rules[].listen` names it. */
export interface EdgeListener {
  readonly port: 80 | 443;
  readonly protocol: "http" | "https";
  readonly key: "80/http" | "443/https";
}

/**
 * The listener every service rule attaches to: HTTPS:443 when the stage names a
 * domain, else HTTP:80.
 *
 * @example
 * edgeListener(resolveStage("dev").profile).key; // "80/http"
 */
export function edgeListener(profile: StageProfile): EdgeListener {
  return profile.zeroTrust.domain
    ? { port: 443, protocol: "https", key: "443/https" }
    : { port: 80, protocol: "http", key: "80/http" };
}

/** The URL path prefix a service is routed under on the shared ALB. */
export function servicePathPrefix(serviceName: string): string {
  return `/${serviceName}`;
}
