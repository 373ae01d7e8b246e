/**
 * The fleet: every ECS service the platform runs, in one place. Adding a service is
 * one entry here plus its SLO definitions in `slos/`; network, routing, scaling,
 * canaries and monitoring all derive from this list.
 */

/** Fargate CPU sizes the fleet uses (SST's `cpu` strings). */
export type FargateCpu = "0.25 vCPU" | "0.5 vCPU" | "1 vCPU" | "2 vCPU" | "4 vCPU";

/** Scaling bounds and targets for one service, before the stage profile scales them. */
export interface FleetScaling {
  /** Fewest tasks in production; the stage profile may lower it. */
  readonly min: number;
  /** Most tasks in production; the stage profile may lower it. */
  readonly max: number;
  /** Target average CPU utilisation, percent. */
  readonly cpuTarget: number;
  /** Target average memory utilisation, percent. */
  readonly memoryTarget: number;
  /** Target `ALBRequestCountPerTarget` (requests per task per minute). */
  readonly requestsPerTarget: number;
  /** Seconds between a scale-in and the next one: slow, so brief dips don't drop tasks. */
  readonly scaleInCooldownSeconds: number;
  /** Seconds between scale-outs: short, so a ramp is followed quickly. */
  readonly scaleOutCooldownSeconds: number;
}

export interface FleetService {
  /** ECS service name; also the `Service` dimension of its SLOs and metrics. */
  readonly name: string;
  /** Container port the service listens on. */
  readonly port: number;
  /** Path the ALB target group and the canary probe for health. */
  readonly healthPath: string;
  /** One API path the canary exercises besides health (relative to the service prefix). */
  readonly apiPath: string;
  readonly cpu: FargateCpu;
  /** Memory, e.g. `"1 GB"`; must be valid for `cpu` on Fargate. */
  readonly memory: `${number} GB`;
  readonly scaling: FleetScaling;
}

const standard: FleetScaling = {
  min: 2,
  max: 10,
  cpuTarget: 60,
  memoryTarget: 70,
  requestsPerTarget: 1000,
  scaleInCooldownSeconds: 300,
  scaleOutCooldownSeconds: 60,
};

/**
 * The ten services. Ports are distinct so the fleet can also run side by side on one
 * host (the sample-service container honours `PORT`).
 *
 * @example
 * FLEET.find((s) => s.name === "payment-service")?.port; // 8083
 */
export const FLEET: readonly FleetService[] = [
  {
    name: "user-service",
    port: 8080,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.5 vCPU",
    memory: "1 GB",
    scaling: standard,
  },
  {
    name: "order-service",
    port: 8081,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "1 vCPU",
    memory: "2 GB",
    scaling: { ...standard, min: 3, max: 20, requestsPerTarget: 800 },
  },
  {
    name: "inventory-service",
    port: 8082,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.5 vCPU",
    memory: "1 GB",
    scaling: standard,
  },
  {
    name: "payment-service",
    port: 8083,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "1 vCPU",
    memory: "2 GB",
    scaling: { ...standard, min: 3, max: 20, cpuTarget: 50, requestsPerTarget: 500 },
  },
  {
    name: "notification-service",
    port: 8084,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.25 vCPU",
    memory: "0.5 GB",
    scaling: { ...standard, max: 8 },
  },
  {
    name: "catalog-service",
    port: 8085,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.5 vCPU",
    memory: "1 GB",
    scaling: { ...standard, max: 16, requestsPerTarget: 1500 },
  },
  {
    name: "analytics-service",
    port: 8086,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "1 vCPU",
    memory: "4 GB",
    scaling: { ...standard, max: 8, memoryTarget: 75, requestsPerTarget: 300 },
  },
  {
    name: "reporting-service",
    port: 8087,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.5 vCPU",
    memory: "2 GB",
    scaling: { ...standard, max: 6, requestsPerTarget: 200 },
  },
  {
    name: "audit-service",
    port: 8088,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.25 vCPU",
    memory: "0.5 GB",
    scaling: { ...standard, max: 6 },
  },
  {
    name: "integration-service",
    port: 8089,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.5 vCPU",
    memory: "1 GB",
    scaling: { ...standard, max: 12, requestsPerTarget: 600 },
  },
];
