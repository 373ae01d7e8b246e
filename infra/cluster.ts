/**
 * The ECS cluster with Container Insights in `enhanced` mode (task- and
 * container-level metrics), wired so services run in the private subnets behind NAT
 * while the shared ALB sits in the public ones.
 *
 * @example
 * const cluster = createCluster(vpc);
 */
export function createCluster(vpc: sst.aws.Vpc) {
  return new sst.aws.Cluster("Cluster", {
    vpc: {
      id: vpc.id,
      loadBalancerSubnets: vpc.publicSubnets,
      serviceSubnets: vpc.privateSubnets,
      securityGroups: vpc.securityGroups,
      cloudmapNamespaceId: vpc.nodes.cloudmapNamespace.id,
      cloudmapNamespaceName: vpc.nodes.cloudmapNamespace.name,
    },
    transform: {
      cluster: (args) => {
        args.settings = [{ name: "containerInsights", value: CONTAINER_INSIGHTS }];
      },
    },
  });
}

/** `enhanced` adds per-task and per-container metrics on top of `enabled`. */
export const CONTAINER_INSIGHTS = "enhanced";
