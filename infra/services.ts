import type { FleetService } from "../stacks/fleet.ts";
import type { StageProfile } from "../stacks/profile.ts";
import { edgeListener, servicePathPrefix } from "./load-balancer.ts";
import {
  downstreamsOf,
  MESH_PORT_NAME,
  type Mesh,
  namePortMapping,
  serviceConnectConfiguration,
} from "./mesh.ts";
import { componentName } from "./names.ts";
import {
  capacityStrategy,
  forecastTrackingConfiguration,
  predictiveScalingConfiguration,
  serviceBounds,
  serviceResourceLabel,
} from "./scaling.ts";

/** Where the container every fleet service runs is built from (until real apps land). */
export const SAMPLE_SERVICE_IMAGE = {
  context: "packages/sample-service",
  dockerfile: "Dockerfile",
} as const;

/** What `sst dev` runs instead of the container: the image's CMD, from its context. */
export const SAMPLE_SERVICE_DEV_COMMAND = "node --disable-warning=ExperimentalWarning src/main.ts";

/** Health check timings: 3 x 10 s to join, 2 x 10 s to leave (fast failover). */
export const HEALTH_CHECK = {
  interval: "10 seconds",
  timeout: "5 seconds",
  healthyThreshold: 3,
  unhealthyThreshold: 2,
  successCodes: "200",
} as const;

export { componentName };

export interface FleetServiceDeployment {
  readonly spec: FleetService;
  readonly service: sst.aws.Service;
  /** Absent in `sst dev`, which runs the service locally and deploys no scalable target. */
  readonly predictive?: aws.appautoscaling.Policy;
  readonly forecastTracking?: aws.appautoscaling.Policy;
}

/**
 * One Fargate service per fleet entry on the shared ALB: a path rule, health checks,
 * deployment circuit breaker with rollback (SST enables it), deployment alarms with
 * rollback (canary and page burn alarms), AZ rebalancing so tasks stay spread across
 * AZs, CPU / memory / ALBRequestCountPerTarget target tracking, AWS PredictiveScaling on
 * the target group's observed `RequestCount`, and target tracking on our own forecast
 * (`Custom/ECS PredictedLoad` per running task). All three request-based policies share
 * one per-task capacity: the fleet's `requestsPerTarget`.
 *
 * @example
 * const deployed = createServices({ cluster, alb, profile, fleet: FLEET });
 */
export function createServices(input: {
  cluster: sst.aws.Cluster;
  alb: sst.aws.Alb;
  profile: StageProfile;
  fleet: readonly FleetService[];
  mesh: Mesh;
  /**
   * Alarm names per service that fail and roll back its ECS deployments (canary and
   * page burn conditions, `deploymentAlarmNames` in infra/monitoring.ts).
   */
  deploymentAlarms?: Readonly<Record<string, readonly string[]>>;
}): FleetServiceDeployment[] {
  const { cluster, alb, profile, fleet, mesh, deploymentAlarms } = input;
  return fleet.map((spec, index) => {
    const name = componentName(spec.name);
    const bounds = serviceBounds(spec.scaling, profile.capacity);
    const forward = `${spec.port}/http` as const;
    const capacity = capacityStrategy(profile.tasks.spotShare);
    const meshService = mesh.services.get(spec.name)!;
    const service = new sst.aws.Service(name, {
      cluster,
      cpu: profile.tasks.cpuOverride ?? spec.cpu,
      memory: profile.tasks.memoryOverride ?? spec.memory,
      image: SAMPLE_SERVICE_IMAGE,
      // `sst dev` deploys no task, target group or scaling for a service: it runs this
      // command from the image context instead, with the container's environment.
      dev: {
        command: SAMPLE_SERVICE_DEV_COMMAND,
        url: `http://localhost:${spec.port}`,
      },
      ...(capacity ? { capacity } : {}),
      environment: {
        SERVICE_NAME: spec.name,
        PORT: String(spec.port),
        BASE_PATH: servicePathPrefix(spec.name),
        HEALTH_PATH: spec.healthPath,
        // Declared downstreams and how to reach them (Service Connect or signed Lattice).
        DOWNSTREAMS: downstreamsOf(mesh, fleet, spec),
      },
      health: {
        command: [
          "CMD-SHELL",
          `node -e "fetch('http://127.0.0.1:${spec.port}${spec.healthPath}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
        ],
        interval: "30 seconds",
        retries: 3,
        startPeriod: "30 seconds",
        timeout: "5 seconds",
      },
      loadBalancer: {
        instance: alb,
        rules: [
          {
            listen: edgeListener(profile).key,
            forward,
            conditions: { path: `${servicePathPrefix(spec.name)}/*` },
            // Distinct per service and stable under insertion at the end of FLEET.
            priority: 100 + index * 10,
          },
        ],
        health: { [forward]: { path: spec.healthPath, ...HEALTH_CHECK } },
      },
      scaling: {
        min: bounds.min,
        max: bounds.max,
        cpuUtilization: spec.scaling.cpuTarget,
        memoryUtilization: spec.scaling.memoryTarget,
        requestCount: spec.scaling.requestsPerTarget,
        scaleInCooldown: `${spec.scaling.scaleInCooldownSeconds} seconds`,
        scaleOutCooldown: `${spec.scaling.scaleOutCooldownSeconds} seconds`,
      },
      logging: { retention: profile.jobs.logRetention },
      transform: {
        service: (args) => {
          // WIRING.md: the ECS service name is the fleet name, the `Service` dimension.
          args.name = spec.name;
          args.availabilityZoneRebalancing = "ENABLED";
          args.healthCheckGracePeriodSeconds = 60;
          args.propagateTags = "SERVICE";
          // A deployment whose canary or page burn alarm fires is failed and rolled back
          // by ECS; the circuit breaker (SST's, rollback on) stays for tasks that never
          // get healthy. `sst dev` creates no ECS service, so this never runs there.
          const alarmNames = deploymentAlarms?.[spec.name] ?? [];
          if (!$dev && alarmNames.length > 0) {
            args.alarms = { alarmNames: [...alarmNames], enable: true, rollback: true };
          }
          args.tags = { ...(args.tags as Record<string, string> | undefined), Service: spec.name };
          // Zero trust (infra/mesh.ts): the service's own security group instead of the
          // VPC-wide one, Service Connect (with TLS where the stage has it), Lattice targets.
          args.networkConfiguration = $util
            .all([args.networkConfiguration, meshService.securityGroup.id])
            .apply(([network, group]) => ({ ...network!, securityGroups: [group] }));
          args.enableExecuteCommand = profile.zeroTrust.ecsExec;
          args.serviceConnectConfiguration = serviceConnectConfiguration(mesh, spec);
          if (meshService.lattice && mesh.infrastructureRole) {
            args.vpcLatticeConfigurations = [
              {
                roleArn: mesh.infrastructureRole.arn,
                targetGroupArn: meshService.lattice.targetGroup.arn,
                portName: MESH_PORT_NAME,
              },
            ];
          }
        },
        taskDefinition: (args) => {
          args.containerDefinitions = $util
            .output(args.containerDefinitions)
            .apply((json) => namePortMapping(json, spec.port));
        },
        target: (args) => {
          args.loadBalancingCrossZoneEnabled = "true";
          args.deregistrationDelay = 30;
          args.tags = { ...(args.tags as Record<string, string> | undefined), Service: spec.name };
        },
      },
    });
    // Nothing to attach a policy to in dev mode (SST throws on `nodes.autoScalingTarget`).
    if ($dev) return { spec, service };
    const target = service.nodes.autoScalingTarget;
    // AWS forecasts what the service served (its target group's RequestCount) hourly from
    // 14 days; our forecast (15-minute refits of the next 20 minutes) drives its own
    // tracking policy. Neither reads the other's output, so nothing forecasts a forecast.
    const predictive = new aws.appautoscaling.Policy(`${name}PredictiveScaling`, {
      name: `${spec.name}-predictive`,
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      policyType: "PredictiveScaling",
      predictiveScalingPolicyConfiguration: $util
        .all([alb.arn, service.nodes.service.loadBalancers])
        .apply(([lbArn, loadBalancers]) =>
          predictiveScalingConfiguration({
            resourceLabel: serviceResourceLabel(lbArn, loadBalancers),
            requestsPerTaskPerMinute: spec.scaling.requestsPerTarget,
            mode: profile.capacity.predictiveMode,
            schedulingBufferTimeSeconds: 300,
          }),
        ),
    });
    const forecastTracking = new aws.appautoscaling.Policy(`${name}ForecastTracking`, {
      name: `${spec.name}-forecast`,
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      policyType: "TargetTrackingScaling",
      targetTrackingScalingPolicyConfiguration: cluster.nodes.cluster.name.apply((clusterName) =>
        forecastTrackingConfiguration({
          service: spec.name,
          stage: $app.stage,
          clusterName,
          requestsPerTaskPerMinute: spec.scaling.requestsPerTarget,
          scaleInCooldownSeconds: spec.scaling.scaleInCooldownSeconds,
          scaleOutCooldownSeconds: spec.scaling.scaleOutCooldownSeconds,
        }),
      ),
    });
    return { spec, service, predictive, forecastTracking };
  });
}
