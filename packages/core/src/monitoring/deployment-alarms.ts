import {
  type AlarmDefinition,
  buildFleetAlarms,
  type FleetAlarmOptions,
  MAX_METRICS_PER_ALARM,
} from "./alarms.ts";
import { objectiveViews, SLO_METRIC_PERIOD_SECONDS, SLO_METRICS, sloMetric } from "./metrics.ts";
import { alarmName } from "./names.ts";

/**
 * Most alarms a service's deployment watches here. ECS documents no limit on
 * `deploymentConfiguration.alarms.alarmNames`; this bound keeps the list short enough
 * to read in the console and is what makes the per-service aggregate alarm the fallback.
 */
export const MAX_DEPLOYMENT_ALARMS = 10;

/** The alarms each service's ECS deployment watches, and the alarms created for that. */
export interface DeploymentAlarms<TTopic = string> {
  /** Alarm names per service, for `deploymentConfiguration.alarms.alarmNames`. */
  readonly byService: Readonly<Record<string, readonly string[]>>;
  /** Alarms to create besides `buildFleetAlarms`' (per-service page conditions). */
  readonly alarms: readonly AlarmDefinition<TTopic>[];
}

/**
 * What rolls a deployment back: each service's canary alarm and its page-level burn
 * conditions, the page alarms `buildFleetAlarms` already declares when they fit in
 * {@link MAX_DEPLOYMENT_ALARMS}. In the `minimal` profile that is always so: one silent
 * alarm per service on its `AlertState` (a page tier firing), so nothing is created here.
 * In `full`, the per-SLO page burn-rate alarms; a service with too many of them gets one
 * silent alarm (per 10 objectives) created here, in ALARM while any objective's
 * `AlertState` is 2. A ticket-level burn never rolls a deployment back: slow burns
 * outlive a deployment's bake time and would block every deploy, fixes included.
 *
 * Cost: a created alarm bills $0.10 per metric-month per objective it reads.
 *
 * @example
 * const { byService, alarms } = buildDeploymentAlarms(slos, { prefix: "slo-prod", stage: "prod", metrics: "minimal", topics, burnRateActions: false });
 * byService["payment-service"]; // ["slo-prod-payment-service-canary-failing", "slo-prod-payment-service-alert-state"]
 * alarms.length; // 0
 */
export function buildDeploymentAlarms<TTopic = string>(
  slos: Parameters<typeof buildFleetAlarms>[0],
  opts: FleetAlarmOptions<TTopic>,
): DeploymentAlarms<TTopic> {
  const fleet = buildFleetAlarms(slos, opts);
  const services = [...new Set(slos.map((s) => s.service))].sort();
  const period = opts.periodSeconds ?? SLO_METRIC_PERIOD_SECONDS;
  const byService: Record<string, string[]> = {};
  const alarms: AlarmDefinition<TTopic>[] = [];
  for (const service of services) {
    const canary = fleet
      .filter((a) => a.kind === "canary" && a.service === service)
      .map((a) => a.name);
    const pages = fleet.filter(
      (a) =>
        a.service === service &&
        a.severity === "page" &&
        (a.kind === "burn-rate" || a.kind === "alert-state"),
    );
    if (pages.length > 0 && canary.length + pages.length <= MAX_DEPLOYMENT_ALARMS) {
      byService[service] = [...canary, ...pages.map((a) => a.name)];
      continue;
    }
    // Only `full` gets here (minimal has one page alarm per service): each objective
    // publishes its AlertState.
    const views = slos.filter((s) => s.service === service).flatMap(objectiveViews);
    const own: AlarmDefinition<TTopic>[] = [];
    for (let i = 0; i < views.length; i += MAX_METRICS_PER_ALARM) {
      const chunk = views.slice(i, i + MAX_METRICS_PER_ALARM);
      const part = views.length > MAX_METRICS_PER_ALARM ? `-${i / MAX_METRICS_PER_ALARM + 1}` : "";
      const ids = chunk.map((_, k) => `s${k}`);
      own.push({
        kind: "deployment",
        severity: "page",
        service,
        name: alarmName(
          opts.prefix
            ? `${opts.prefix}-${service}-deploy-page${part}`
            : `${service}-deploy-page${part}`,
        ),
        alarmDescription:
          `Deployment guard of ${service}: an SLO has a page burn-rate tier firing (AlertState 2). ECS rolls a deployment of ${service} back while this is in ALARM. Notifies nobody: the pager already did. SLOs: ${chunk.map((v) => v.name).join(", ")}`.slice(
            0,
            1024,
          ),
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 2,
        // The evaluator already requires both windows over the threshold: act on the first period.
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        // No published state is no evidence of a burn: a deploy must not roll back on it.
        treatMissingData: "notBreaching",
        metricQueries: [
          ...chunk.map((v, k) => ({
            id: ids[k] as string,
            label: v.name,
            returnData: false,
            metric: {
              ...sloMetric(v, SLO_METRICS.alertState, opts.stage),
              period,
              stat: "Maximum",
            },
          })),
          {
            id: "worst",
            label: "highest AlertState",
            returnData: true,
            expression: `MAX([${ids.join(", ")}])`,
          },
        ],
        alarmActions: [],
        okActions: [],
        actionsEnabled: false,
        tags: { ...opts.tags, Service: service, Severity: "page" },
      });
    }
    alarms.push(...own);
    byService[service] = [...canary, ...own.map((a) => a.name)];
  }
  return { byService, alarms };
}
