import { StageConfigError } from "./errors.ts";

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
  /**
   * The fleet services this one calls. The one list that opens the path: the callee's
   * security group admits this service's, and (Lattice stages) its auth policy admits
   * this service's task role. Anything not listed is refused.
   */
  readonly calls: readonly string[];
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
    calls: ["audit-service"],
  },
  {
    name: "order-service",
    port: 8081,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "1 vCPU",
    memory: "2 GB",
    scaling: { ...standard, min: 3, max: 20, requestsPerTarget: 800 },
    calls: ["user-service", "inventory-service", "payment-service", "notification-service"],
  },
  {
    name: "inventory-service",
    port: 8082,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.5 vCPU",
    memory: "1 GB",
    scaling: standard,
    calls: [],
  },
  {
    name: "payment-service",
    port: 8083,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "1 vCPU",
    memory: "2 GB",
    scaling: { ...standard, min: 3, max: 20, cpuTarget: 50, requestsPerTarget: 500 },
    calls: ["audit-service", "notification-service"],
  },
  {
    name: "notification-service",
    port: 8084,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.25 vCPU",
    memory: "0.5 GB",
    scaling: { ...standard, max: 8 },
    calls: [],
  },
  {
    name: "catalog-service",
    port: 8085,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.5 vCPU",
    memory: "1 GB",
    scaling: { ...standard, max: 16, requestsPerTarget: 1500 },
    calls: ["inventory-service"],
  },
  {
    name: "analytics-service",
    port: 8086,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "1 vCPU",
    memory: "4 GB",
    scaling: { ...standard, max: 8, memoryTarget: 75, requestsPerTarget: 300 },
    calls: [],
  },
  {
    name: "reporting-service",
    port: 8087,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.5 vCPU",
    memory: "2 GB",
    scaling: { ...standard, max: 6, requestsPerTarget: 200 },
    calls: ["analytics-service"],
  },
  {
    name: "audit-service",
    port: 8088,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.25 vCPU",
    memory: "0.5 GB",
    scaling: { ...standard, max: 6 },
    calls: [],
  },
  {
    name: "integration-service",
    port: 8089,
    healthPath: "/health",
    apiPath: "/api/items",
    cpu: "0.5 vCPU",
    memory: "1 GB",
    scaling: { ...standard, max: 12, requestsPerTarget: 600 },
    calls: ["order-service", "catalog-service"],
  },
];

/**
 * Who may call `service`: the fleet entries whose `calls` name it.
 *
 * @example
 * callersOf(FLEET, "payment-service"); // ["order-service"]
 */
export function callersOf(fleet: readonly FleetService[], service: string): string[] {
  return fleet.filter((s) => s.calls.includes(service)).map((s) => s.name);
}

/**
 * Checks every `calls` entry names another fleet service, so a typo fails the plan
 * instead of silently opening nothing.
 *
 * @example
 * validateFleetCalls(FLEET); // throws StageConfigError on `calls: ["paymnet-service"]`
 */
export function validateFleetCalls(fleet: readonly FleetService[]): void {
  const names = new Set(fleet.map((s) => s.name));
  for (const service of fleet) {
    for (const callee of service.calls) {
      if (callee === service.name) {
        throw new StageConfigError(
          `stacks/fleet.ts: ${service.name}.calls lists itself; a service reaches itself without the mesh, remove "${callee}"`,
        );
      }
      if (!names.has(callee)) {
        throw new StageConfigError(
          `stacks/fleet.ts: ${service.name}.calls names "${callee}", which is not in FLEET; use one of ${[...names].join(", ")}`,
        );
      }
    }
  }
}
