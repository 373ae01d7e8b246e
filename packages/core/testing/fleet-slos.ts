import path from "node:path";
import { formatSpecIssues } from "../src/spec/issues.ts";
import { loadSloFiles } from "../src/spec/load.ts";
import type { SloDefinition } from "../src/spec/model.ts";

/** The committed fleet definitions: the one source of the fleet's SLOs. */
export const FLEET_SLOS_DIR = path.resolve(import.meta.dirname, "../../../slos");

/**
 * The 40 fleet SLOs (ten services x four) as `slo report` loads them from `slos/`, for
 * tests and benchmarks that need real definitions rather than hand-made ones.
 *
 * @example
 * const slos = await loadFleetSlos(); // slos.length === 40
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
