import type { SloDefinition } from "../packages/core/src/spec/model.ts";
import type { FleetService } from "../stacks/fleet.ts";
import type { StageProfile } from "../stacks/profile.ts";
import { createAlertTopics } from "./alerts.ts";
import { createCanaries } from "./canaries.ts";
import { createCluster } from "./cluster.ts";
import { createJobDeadLetter } from "./dead-letter.ts";
import { createJobs } from "./jobs.ts";
import { createLinks } from "./links.ts";
import { createLoadBalancer } from "./load-balancer.ts";
import { authorizeCallers, createMesh } from "./mesh.ts";
import { createMonitoring, deploymentAlarmNames } from "./monitoring.ts";
import { createNetwork } from "./network.ts";
import { createOperatorPolicy } from "./operator-policy.ts";
import { createServices } from "./services.ts";
import { createRollupStore } from "./storage.ts";

/** Seconds between canary runs for a Synthetics `rate(N minutes)` schedule. */
export function scheduleSeconds(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression);
  if (!match) return 300;
  const n = Number(match[1]);
  return match[2]!.startsWith("hour") ? n * 3600 : n * 60;
}

/**
 * Declares the whole platform for one stage: network, cluster, shared ALB and the
 * fleet's services with scaling, the rollup store and alert topics, the scheduled
 * jobs, canaries, and the alarms/dashboards generated from the SLO definitions.
 *
 * @example
 * // sst.config.ts run():
 * const { profile } = resolveStage($app.stage, process.env);
 * return deployPlatform({ root: process.cwd(), profile, fleet: FLEET, slos });
 */
export function deployPlatform(input: {
  root: string;
  profile: StageProfile;
  fleet: readonly FleetService[];
  slos: readonly SloDefinition[];
}) {
  const { root, profile, fleet, slos } = input;
  const { vpc } = createNetwork(profile);
  const cluster = createCluster(vpc);
  const alb = createLoadBalancer(vpc, profile);
  const mesh = createMesh({ vpc, alb, profile, fleet });
  const services = createServices({
    cluster,
    alb,
    profile,
    fleet,
    mesh,
    deploymentAlarms: deploymentAlarmNames({
      profile,
      slos,
      canaryPeriodSeconds: scheduleSeconds(profile.canaries.schedule),
    }),
  });
  const taskRoleArns = new Map(services.map((d) => [d.spec.name, d.service.nodes.taskRole.arn]));
  const authPolicies = authorizeCallers({ mesh, fleet, taskRoleArns });
  const rollups = createRollupStore();
  const topics = createAlertTopics(profile);
  const links = createLinks(rollups, topics, profile);
  const deadLetter = createJobDeadLetter({ profile, topics });
  const jobs = createJobs({ root, slos, profile, cluster, rollups, topics, links, deadLetter });
  const operatorPolicy = createOperatorPolicy(cluster, rollups, profile);
  const canaries = createCanaries({ root, profile, fleet, albUrl: alb.url });
  const monitoring = createMonitoring({
    profile,
    slos,
    topics,
    canaryPeriodSeconds: scheduleSeconds(profile.canaries.schedule),
    // A sharded stage's SLO jobs are watched through their shard functions.
    jobFunctions: Object.fromEntries(
      Object.entries(jobs.functions).map(([name, fn]) => [name, fn.name]),
    ),
  });
  return {
    url: alb.url,
    cluster: cluster.nodes.cluster.name,
    rollupBucket: rollups.name,
    alertTopicPage: topics.page.arn,
    alertTopicTicket: topics.ticket.arn,
    services: services.length,
    alarms: monitoring.alarms.length,
    canaries: canaries.canaries.length,
    jobs: Object.keys(jobs.functions).length,
    operatorPolicy: operatorPolicy.arn,
    jobsDeadLetterQueue: deadLetter.queue.url,
    meshIssuer: mesh.authority?.arn ?? "none",
    meshServiceNetwork: mesh.serviceNetwork?.arn ?? "none",
    meshAuthPolicies: authPolicies.length,
  };
}
