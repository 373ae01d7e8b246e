import { stringify } from "yaml";
import { formatDuration } from "../time/duration.ts";
import { isDefaultAlertTiers, periodMs } from "./alert-tiers.ts";
import { formatStartTime } from "./calendar.ts";
import type { DocumentMeta, SloDocument, SpecDocument } from "./documents.ts";
import {
  ALERT_TIERS_KEY,
  DEFAULT_MIN_EVENTS,
  EXCLUSIONS_KEY,
  MIN_EVENTS_KEY,
} from "./extensions.ts";
import type {
  CloudWatchMetricStat,
  Indicator,
  MetricSourceRef,
  Objective,
  SloDefinition,
  TimeWindow,
} from "./model.ts";

const API_VERSION = "openslo/v1";
const CALENDAR_SUFFIX = { Day: "d", Week: "w", Month: "M", Quarter: "Q", Year: "Y" } as const;

/**
 * Writes documents as canonical OpenSLO v1 YAML (`---` between documents): every
 * default made explicit (`counter`, objective `displayName`, `isRolling`), engine
 * extensions as `slo-platform.dev/*` annotations, metric sources in the CloudWatch
 * shapes `readMetricSource` documents. Parsing the output yields the same definitions.
 *
 * @example
 * const { documents } = await loadSloFiles(["slos"]);
 * process.stdout.write(toOpenSloYaml(documents));
 */
export function toOpenSloYaml(documents: readonly SpecDocument[]): string {
  return documents
    .map((doc) => stringify(toOpenSloObject(doc), { lineWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
}

/** One document as the plain object `toOpenSloYaml` writes. */
export function toOpenSloObject(doc: SpecDocument): Record<string, unknown> {
  if (doc.kind === "SLO") return sloObject(doc);
  const envelope = (spec: Record<string, unknown>) => ({
    apiVersion: API_VERSION,
    kind: doc.kind,
    metadata: metadataObject(doc),
    spec,
  });
  switch (doc.kind) {
    case "SLI":
      return envelope({ ...opt("description", doc.description), ...indicatorSpec(doc.indicator) });
    case "Service":
      return envelope({ ...opt("description", doc.description) });
    case "DataSource":
      return envelope({
        ...opt("description", doc.description),
        type: doc.type,
        connectionDetails: doc.connectionDetails,
      });
    default:
      return envelope(doc.spec);
  }
}

function metadataObject(
  meta: Pick<DocumentMeta, "name" | "displayName" | "labels" | "annotations">,
): Record<string, unknown> {
  return {
    name: meta.name,
    ...opt("displayName", meta.displayName),
    ...(Object.keys(meta.labels).length > 0 ? { labels: meta.labels } : {}),
    ...(Object.keys(meta.annotations).length > 0 ? { annotations: meta.annotations } : {}),
  };
}

function sloObject(doc: SloDocument): Record<string, unknown> {
  const slo = doc.definition;
  const annotations: Record<string, string> = { ...doc.annotations, ...extensionAnnotations(slo) };
  const indicator =
    slo.indicatorRef !== undefined
      ? { indicatorRef: slo.indicatorRef }
      : {
          indicator: {
            metadata: { name: doc.inlineIndicatorName ?? `${slo.name}-indicator` },
            spec: indicatorSpec(slo.indicator),
          },
        };
  return {
    apiVersion: API_VERSION,
    kind: "SLO",
    metadata: metadataObject({
      name: slo.name,
      displayName: slo.displayName,
      labels: slo.labels,
      annotations,
    }),
    spec: {
      ...opt("description", slo.description),
      service: slo.service,
      ...indicator,
      timeWindow: [timeWindowObject(slo.timeWindow)],
      budgetingMethod: slo.budgetingMethod,
      objectives: slo.objectives.map(objectiveObject),
      ...(doc.alertPolicies.length > 0 ? { alertPolicies: doc.alertPolicies } : {}),
    },
  };
}

/** Only non-default extensions are written, so plain SLOs stay plain OpenSLO. */
function extensionAnnotations(slo: SloDefinition): Record<string, string> {
  const out: Record<string, string> = {};
  if (slo.minEvents !== DEFAULT_MIN_EVENTS) out[MIN_EVENTS_KEY] = String(slo.minEvents);
  if (slo.exclusions.length > 0) {
    out[EXCLUSIONS_KEY] = JSON.stringify(
      slo.exclusions.map((e) => ({
        start: isoInstant(e.startMs),
        end: isoInstant(e.endMs),
        ...opt("reason", e.reason),
      })),
    );
  }
  const period = periodMs(slo.timeWindow);
  if (!isDefaultAlertTiers(slo.alertTiers, period)) {
    out[ALERT_TIERS_KEY] = JSON.stringify(
      slo.alertTiers.map((t) => ({
        name: t.name,
        severity: t.severity,
        longWindow: formatDuration(t.longWindowMs),
        shortWindow: formatDuration(t.shortWindowMs),
        budgetFraction: t.budgetFraction,
      })),
    );
  }
  return out;
}

/** ISO instant without a `.000` when the time is whole seconds, as people write it. */
function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function timeWindowObject(w: TimeWindow): Record<string, unknown> {
  if (w.type === "rolling") return { duration: formatDuration(w.durationMs), isRolling: true };
  return {
    duration: `${w.count}${CALENDAR_SUFFIX[w.unit]}`,
    isRolling: false,
    calendar: { startTime: formatStartTime(w.startTimeMs, w.timeZone), timeZone: w.timeZone },
  };
}

function objectiveObject(o: Objective): Record<string, unknown> {
  return {
    displayName: o.name,
    ...opt("op", o.op),
    ...opt("value", o.value),
    target: o.target,
    ...opt("timeSliceTarget", o.timeSliceTarget),
    ...(o.timeSliceWindowMs === undefined
      ? {}
      : { timeSliceWindow: formatDuration(o.timeSliceWindowMs) }),
  };
}

function indicatorSpec(indicator: Indicator): Record<string, unknown> {
  if (indicator.type === "threshold")
    return { thresholdMetric: { metricSource: metricSourceObject(indicator.metric) } };
  const part = indicator.good
    ? { good: { metricSource: metricSourceObject(indicator.good) } }
    : indicator.bad
      ? { bad: { metricSource: metricSourceObject(indicator.bad) } }
      : {};
  return {
    ratioMetric: {
      counter: indicator.counter,
      ...part,
      total: { metricSource: metricSourceObject(indicator.total) },
    },
  };
}

function metricSourceObject(source: MetricSourceRef): Record<string, unknown> {
  switch (source.kind) {
    case "unsupported":
      return { type: source.type, spec: source.spec };
    case "metric":
      return { type: "CloudWatch", spec: metricStatObject(source) };
    case "expression":
      return {
        type: "CloudWatch",
        spec: {
          expression: source.expression,
          metrics: Object.entries(source.metrics).map(([id, m]) => ({
            id,
            ...metricStatObject(m),
          })),
        },
      };
  }
}

function metricStatObject(m: CloudWatchMetricStat): Record<string, unknown> {
  return {
    namespace: m.namespace,
    metricName: m.metricName,
    dimensions: Object.entries(m.dimensions).map(([name, value]) => ({ name, value })),
    stat: m.stat,
  };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
