import type { StageProfile } from "../stacks/profile.ts";

/**
 * The VPC: public subnets for the ALB and NAT, private subnets for tasks, one of each
 * per AZ. NAT is per AZ too, so losing an AZ never cuts the others off the internet.
 *
 * @example
 * const { vpc } = createNetwork(resolveStage("production").profile); // 3 AZs, 3 NAT gateways
 */
export function createNetwork(profile: StageProfile) {
  const vpc = new sst.aws.Vpc("Vpc", {
    az: profile.network.azs,
    nat: profile.network.nat,
  });
  return { vpc };
}
