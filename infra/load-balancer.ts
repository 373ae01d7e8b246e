/**
 * One internet-facing ALB shared by the whole fleet; each service adds a path rule
 * (`/<service>/*`). Cross-zone load balancing is set explicitly so an uneven task
 * spread across AZs still gets even traffic per task.
 *
 * @example
 * const alb = createLoadBalancer(vpc);
 */
export function createLoadBalancer(vpc: sst.aws.Vpc) {
  return new sst.aws.Alb("Alb", {
    vpc,
    listeners: [{ port: ALB_LISTENER.port, protocol: ALB_LISTENER.protocol }],
    transform: {
      loadBalancer: (args) => {
        args.enableCrossZoneLoadBalancing = true;
      },
    },
  });
}

/**
 * The listener every service rule attaches to. HTTPS needs a domain and certificate,
 * which a team adds with the Alb `domain` option once it has one.
 */
export const ALB_LISTENER = { port: 80, protocol: "http", key: "80/http" } as const;

/** The URL path prefix a service is routed under on the shared ALB. */
export function servicePathPrefix(serviceName: string): string {
  return `/${serviceName}`;
}
