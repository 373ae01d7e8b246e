import { DiscoveryError } from "../errors.ts";

/**
 * The part of a target group ARN CloudWatch uses as the `TargetGroup` dimension:
 * `arn:aws:elasticloadbalancing:<region>:<acct>:targetgroup/<name>/<id>` -> `targetgroup/<name>/<id>`.
 *
 * @example
 * targetGroupDimension("arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web/73e2d6bc24d8a067");
 * // "targetgroup/web/73e2d6bc24d8a067"
 */
export function targetGroupDimension(arn: string): string {
  const m = /:(targetgroup\/[^/]+\/[^/]+)$/.exec(arn);
  if (!m?.[1]) {
    throw new DiscoveryError(
      `"${arn}" is not a target group ARN (expected ...:targetgroup/<name>/<id>)`,
    );
  }
  return m[1];
}

/**
 * The part of an Application Load Balancer ARN CloudWatch uses as the `LoadBalancer` dimension:
 * `...:loadbalancer/app/<name>/<id>` -> `app/<name>/<id>`.
 *
 * @example
 * loadBalancerDimension("arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/fleet/50dc6c495c0c9188");
 * // "app/fleet/50dc6c495c0c9188"
 */
export function loadBalancerDimension(arn: string): string {
  const m = /:loadbalancer\/((?:app|net|gwy)\/[^/]+\/[^/]+)$/.exec(arn);
  if (!m?.[1]) {
    throw new DiscoveryError(
      `"${arn}" is not a load balancer ARN (expected ...:loadbalancer/app/<name>/<id>)`,
    );
  }
  return m[1];
}
