import type { SloDefinition } from "../spec/model.ts";
import { buildFleetDashboard } from "./fleet-dashboard.ts";
import { buildLargeFleetDashboard } from "./large-fleet-dashboard.ts";
import type { DashboardOptions } from "./service-dashboard.ts";
import { buildStageDashboard } from "./stage-dashboard.ts";
import { type DashboardDefinition, DashboardLimitError } from "./widgets.ts";

/**
 * Every dashboard a stage deploys: the SLO dashboard (a `Service` variable picks the
 * service) and the executive fleet view, per SLO while it fits one dashboard and as
 * Metrics Insights queries beyond (`buildLargeFleetDashboard`). Two dashboards whatever
 * the number of services, inside CloudWatch's three free ones. infra and `bench:cost`
 * both call this, so the bill counts what is deployed.
 *
 * @example
 * buildStageDashboards(slos, { region: "eu-west-1", prefix: "slo-prod", stage: "prod", metrics: "minimal" }).length; // 2
 */
export function buildStageDashboards(
  slos: readonly SloDefinition[],
  opts: DashboardOptions,
): DashboardDefinition[] {
  return [buildStageDashboard(slos, opts), fleetView(slos, opts)];
}

function fleetView(slos: readonly SloDefinition[], opts: DashboardOptions): DashboardDefinition {
  try {
    return buildFleetDashboard(slos, opts);
  } catch (error) {
    if (!(error instanceof DashboardLimitError)) throw error;
    return buildLargeFleetDashboard(slos, opts);
  }
}
