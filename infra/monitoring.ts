import {
  type AlarmDefinition,
  buildFleetAlarms,
  buildFleetDashboard,
  buildServiceDashboard,
} from "../packages/core/src/monitoring/index.ts";
import type { SloDefinition } from "../packages/core/src/spec/model.ts";
import type { StageProfile } from "../stacks/profile.ts";
import { type AlertTopics, topicFor } from "./alerts.ts";
import { componentName } from "./services.ts";

type TopicArn = $util.Output<string>;

/**
 * Instantiates the alarms and dashboards that `@slo/core/monitoring` builds as data
 * from the SLO definitions: per SLO one long-AND-short-window burn-rate alarm per
 * alert tier (thresholds from the tiers), error budget exhausted and no data; one
 * canary alarm per service; a dashboard per service and an executive fleet view.
 * Severities route to topics by the stage profile.
 *
 * @example
 * const { alarms, dashboards } = createMonitoring({ profile, slos, topics, canaryPeriodSeconds: 300 });
 */
export function createMonitoring(input: {
  profile: StageProfile;
  slos: readonly SloDefinition[];
  topics: AlertTopics;
  canaryPeriodSeconds: number;
}) {
  const { profile, slos, topics, canaryPeriodSeconds } = input;
  const prefix = `slo-${$app.stage}`;
  const definitions: AlarmDefinition<TopicArn>[] = buildFleetAlarms<TopicArn>(slos, {
    prefix,
    topics: {
      page: topicFor(topics, profile, "page").arn,
      ticket: topicFor(topics, profile, "ticket").arn,
    },
    canaryPeriodSeconds,
    burnRateActions: profile.alerts.pager === "alarms",
    stage: $app.stage,
    tags: { Stage: $app.stage },
  });
  const alarms = definitions.map((def) => createAlarm(def));

  const region = aws.getRegionOutput().region;
  const services = [...new Set(slos.map((s) => s.service))].sort();
  const dashboards = [
    ...services.map((service) =>
      createDashboard(`${componentName(service)}Dashboard`, (r) =>
        buildServiceDashboard(service, slos, { region: r, prefix, stage: $app.stage }),
      ),
    ),
    createDashboard("FleetDashboard", (r) =>
      buildFleetDashboard(slos, { region: r, prefix, stage: $app.stage }),
    ),
  ];
  return { alarms, dashboards, definitions };

  function createDashboard(
    name: string,
    build: (region: string) => { name: string; body: unknown },
  ): aws.cloudwatch.Dashboard {
    const def = region.apply(build);
    return new aws.cloudwatch.Dashboard(name, {
      dashboardName: def.name,
      dashboardBody: def.body.apply((body) => JSON.stringify(body)),
    });
  }
}

/** Logical (Pulumi) name of an alarm: stable, and unique because alarm names are. */
function alarmResourceName(def: AlarmDefinition<unknown>): string {
  return `Alarm-${def.name}`;
}

function createAlarm(def: AlarmDefinition<TopicArn>): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(alarmResourceName(def), {
    name: def.name,
    alarmDescription: def.alarmDescription,
    comparisonOperator: def.comparisonOperator,
    threshold: def.threshold,
    evaluationPeriods: def.evaluationPeriods,
    datapointsToAlarm: def.datapointsToAlarm,
    treatMissingData: def.treatMissingData,
    metricQueries: def.metricQueries.map((q) => ({
      id: q.id,
      label: q.label,
      returnData: q.returnData,
      expression: q.expression,
      metric: q.metric
        ? {
            namespace: q.metric.namespace,
            metricName: q.metric.metricName,
            dimensions: { ...q.metric.dimensions },
            period: q.metric.period,
            stat: q.metric.stat,
          }
        : undefined,
    })),
    alarmActions: [...def.alarmActions],
    okActions: [...def.okActions],
    actionsEnabled: def.actionsEnabled,
    tags: { ...def.tags, AlarmKind: def.kind, ...(def.tier ? { Tier: def.tier } : {}) },
  });
}
