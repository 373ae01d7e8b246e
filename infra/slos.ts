import path from "node:path";
import { formatSpecIssues, loadSloFiles } from "../packages/core/src/spec/index.ts";
import type { SloDefinition } from "../packages/core/src/spec/model.ts";
import type { FleetService } from "../stacks/fleet.ts";
import { InfraConfigError } from "./errors.ts";

/**
 * Loads `slos/` (the same files the jobs bundle) and checks them against the fleet:
 * invalid definitions, or SLOs for services the fleet does not run, stop the deploy
 * before any alarm is created for a metric nobody publishes.
 *
 * @example
 * const slos = await loadFleetSlos("/repo", FLEET); // 40 definitions for the ten services
 */
export async function loadFleetSlos(
  root: string,
  fleet: readonly FleetService[],
): Promise<SloDefinition[]> {
  const dir = path.join(root, "slos");
  const result = await loadSloFiles([dir]);
  if (result.issues.length > 0) {
    throw new InfraConfigError(
      `slos/ has invalid definitions; fix them (\`pnpm --silent slo validate slos\` lists the same):\n${formatSpecIssues(result.issues)}`,
    );
  }
  const known = new Set(fleet.map((s) => s.name));
  const strays = result.slos.filter((s) => !known.has(s.service));
  if (strays.length > 0) {
    const list = strays.map(
      (s) => `${s.name} (${s.location.file}:${s.location.line}, service "${s.service}")`,
    );
    throw new InfraConfigError(
      `SLOs name services the fleet does not run: ${list.join(", ")}; add the service to stacks/fleet.ts or fix spec.service`,
    );
  }
  return result.slos;
}
