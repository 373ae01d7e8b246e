import path from "node:path";
import { formatSpecIssues } from "../src/spec/issues.ts";
import { loadSloFiles } from "../src/spec/load.ts";
import type { SloDefinition } from "../src/spec/model.ts";

/** The committed fleet definitions: the one source of the fleet's SLOs. */
export const FLEET_SLOS_DIR = path.resolve(import.meta.dirname, "../../../slos");

/**
 * The 41 fleet SLOs (ten services x four, plus the mesh SLO) as `slo report` loads them from `slos/`, for
 * tests and benchmarks that need real definitions rather than hand-made ones.
 *
 * @example
 * const slos = await loadFleetSlos(); // slos.length === 41
 */
export async function loadFleetSlos(): Promise<SloDefinition[]> {
  const { slos, issues } = await loadSloFiles([FLEET_SLOS_DIR]);
  if (issues.length > 0) throw new Error(`slos/ does not validate:\n${formatSpecIssues(issues)}`);
  return slos;
}

/**
 * One service's four fleet SLOs in a fixed order: availability, latency p95, latency
 * p99, error rate.
 *
 * @example
 * const [availability, p95, p99, errorRate] = serviceSlos(await loadFleetSlos(), "order-service");
 */
export function serviceSlos(
  slos: readonly SloDefinition[],
  service: string,
): [SloDefinition, SloDefinition, SloDefinition, SloDefinition] {
  const pick = (suffix: string): SloDefinition => {
    const slo = slos.find((s) => s.name === `${service}-${suffix}`);
    if (!slo) throw new Error(`slos/ has no SLO named ${service}-${suffix}`);
    return slo;
  };
  return [pick("availability"), pick("latency-p95"), pick("latency-p99"), pick("error-rate")];
}

/** The committed order-service SLOs, the template for synthetic services (loaded once). */
const TEMPLATE_SERVICE = "order-service";
const TEMPLATE = serviceSlos(await loadFleetSlos(), TEMPLATE_SERVICE);

/**
 * The four fleet SLOs of a synthetic service, cloned from the committed order-service
 * definitions with every mention of the service renamed, for tests and benchmarks that
 * need many services with real definitions (sharding, fleet benchmarks).
 *
 * @example
 * const big = Array.from({ length: 300 }, (_, i) => fleetServiceSlos(`svc-${i}`)).flat();
 */
export function fleetServiceSlos(service: string): SloDefinition[] {
  return TEMPLATE.map(
    (slo) => JSON.parse(JSON.stringify(slo).replaceAll(TEMPLATE_SERVICE, service)) as SloDefinition,
  );
}
