import { formatDuration, parseDuration } from "../time/duration.ts";
import { periodMs } from "./alert-tiers.ts";
import { isValidTimeZone, parseStartTime } from "./calendar.ts";
import type {
  DataSourceDocument,
  DocumentMeta,
  LoadResult,
  ParsedFile,
  RawDocument,
  ServiceDocument,
  SliDocument,
  SloDocument,
  SpecDocument,
} from "./documents.ts";
import { EXTENSION_PREFIX, readExtensions } from "./extensions.ts";
import type { SpecIssue } from "./issues.ts";
import { readMetricSource } from "./metric-source.ts";
import type {
  BudgetingMethod,
  ComparisonOp,
  Indicator,
  Objective,
  SloDefinition,
  TimeWindow,
} from "./model.ts";
import { isRecord } from "./parse.ts";
import type { Path } from "./report.ts";
import { closest, IssueSink } from "./report.ts";
import {
  alertConditionSpecSchema,
  alertPolicySpecSchema,
  dataSourceSpecSchema,
  inlineIndicatorSchema,
  notificationTargetSpecSchema,
  objectiveSchema,
  serviceSpecSchema,
  sliSpecSchema,
  sloSpecSchema,
  timeWindowSchema,
} from "./schema.ts";

/** Options for validation. */
export interface ResolveOptions {
  /** Evaluation step in ms: windows and time slices must be at least this long. Default 1 minute. */
  readonly stepMs?: number;
}

const BUDGETING_METHODS: readonly BudgetingMethod[] = [
  "Occurrences",
  "Timeslices",
  "RatioTimeslices",
];
const OPS: readonly ComparisonOp[] = ["lt", "lte", "gt", "gte"];
const CALENDAR_UNITS = { d: "Day", w: "Week", M: "Month", Q: "Quarter", Y: "Year" } as const;
const DURATION = /^(\d+)([smhdwMQY])$/;

/**
 * Checks every parsed document's spec and resolves references across files
 * (`indicatorRef` -> SLI, `metricSourceRef` -> DataSource, `spec.service` -> Service,
 * alert policy refs), reporting duplicates at every location. Pure.
 *
 * @example
 * const result = resolveSloDocuments([parseSloDocuments(text, "a.yaml")]);
 * if (result.issues.length === 0) console.log(result.slos.map((s) => s.name));
 */
export function resolveSloDocuments(
  files: readonly ParsedFile[],
  options: ResolveOptions = {},
): LoadResult {
  const stepMs = options.stepMs ?? 60_000;
  const issues: SpecIssue[] = files.flatMap((f) => f.issues);
  const warnings: SpecIssue[] = files.flatMap((f) => f.warnings);
  const raws = files.flatMap((f) => f.documents);
  const sinkOf = (raw: RawDocument) =>
    new IssueSink(raw.location.file, raw.lineOf, issues, warnings);

  const unique = dropDuplicates(raws, sinkOf);
  const byKind = (kind: RawDocument["kind"]) => unique.filter((r) => r.kind === kind);
  const out = new Map<RawDocument, SpecDocument>();

  const dataSources = new Map<string, DataSourceDocument>();
  for (const raw of byKind("DataSource")) {
    const sink = sinkOf(raw);
    const meta = readMeta(sink, raw);
    const spec = sink.check(dataSourceSpecSchema, raw.spec, ["spec"]);
    if (!meta || !spec) continue;
    const doc: DataSourceDocument = {
      kind: "DataSource",
      ...meta,
      ...optional("description", spec.description),
      type: spec.type,
      connectionDetails: spec.connectionDetails ?? {},
    };
    dataSources.set(raw.name, doc);
    out.set(raw, doc);
  }

  const services = new Map<string, ServiceDocument>();
  for (const raw of byKind("Service")) {
    const sink = sinkOf(raw);
    const meta = readMeta(sink, raw);
    const spec = sink.check(serviceSpecSchema, raw.spec ?? {}, ["spec"]);
    if (!meta || !spec) continue;
    const doc: ServiceDocument = {
      kind: "Service",
      ...meta,
      ...optional("description", spec.description),
    };
    services.set(raw.name, doc);
    out.set(raw, doc);
  }

  const slis = new Map<string, SliDocument | undefined>();
  for (const raw of byKind("SLI")) {
    const sink = sinkOf(raw);
    const meta = readMeta(sink, raw);
    const spec = sink.check(sliSpecSchema, raw.spec, ["spec"]);
    const indicator = spec && readIndicator(sink, spec, ["spec"], dataSources);
    if (!meta || !spec || !indicator) {
      slis.set(raw.name, undefined);
      continue;
    }
    const doc: SliDocument = {
      kind: "SLI",
      ...meta,
      ...optional("description", spec.description),
      indicator,
    };
    slis.set(raw.name, doc);
    out.set(raw, doc);
  }

  const policyNames = new Set(byKind("AlertPolicy").map((r) => r.name));
  const conditionNames = new Set(byKind("AlertCondition").map((r) => r.name));
  for (const raw of unique) {
    const sink = sinkOf(raw);
    if (raw.kind === "AlertCondition") {
      const meta = readMeta(sink, raw);
      const spec = sink.check(alertConditionSpecSchema, raw.spec, ["spec"]);
      if (meta && spec) out.set(raw, { kind: "AlertCondition", ...meta, spec });
    } else if (raw.kind === "AlertNotificationTarget") {
      const meta = readMeta(sink, raw);
      const spec = sink.check(notificationTargetSpecSchema, raw.spec, ["spec"]);
      if (meta && spec) out.set(raw, { kind: "AlertNotificationTarget", ...meta, spec });
    } else if (raw.kind === "AlertPolicy") {
      const meta = readMeta(sink, raw);
      const spec = sink.check(alertPolicySpecSchema, raw.spec, ["spec"]);
      if (!meta || !spec) continue;
      let conditionsOk = true;
      spec.conditions.forEach((c, i) => {
        const at: Path = ["spec", "conditions", i];
        const ref = c.conditionRef;
        if (typeof ref === "string" && Object.keys(c).length === 1) {
          if (!conditionNames.has(ref)) {
            sink.warn(
              [...at, "conditionRef"],
              `no AlertCondition named "${ref}" is loaded`,
              "declare it, or inline the condition",
            );
          }
        } else if (c.kind === "AlertCondition" && isRecord(c.metadata)) {
          if (!sink.check(alertConditionSpecSchema, c.spec, [...at, "spec"])) conditionsOk = false;
        } else {
          sink.error(
            at,
            "condition is neither a conditionRef nor an inline AlertCondition",
            "write - conditionRef: <name>, or { kind: AlertCondition, metadata: { name }, spec: { severity, condition } }",
          );
          conditionsOk = false;
        }
      });
      if (conditionsOk) out.set(raw, { kind: "AlertPolicy", ...meta, spec });
    }
  }

  const slos: SloDefinition[] = [];
  for (const raw of byKind("SLO")) {
    const doc = readSlo(sinkOf(raw), raw, { stepMs, dataSources, services, slis, policyNames });
    if (!doc) continue;
    out.set(raw, doc);
    slos.push(doc.definition);
  }

  const documents = raws.flatMap((r) => {
    const d = out.get(r);
    return d ? [d] : [];
  });
  return {
    files: files.map((f) => f.file),
    slos,
    services: [...services.values()],
    documents,
    issues,
    warnings,
  };
}

/** Reports every document whose kind+name repeats, at each location; keeps the first. */
function dropDuplicates(
  raws: readonly RawDocument[],
  sinkOf: (r: RawDocument) => IssueSink,
): RawDocument[] {
  const groups = new Map<string, RawDocument[]>();
  for (const raw of raws) {
    const key = `${raw.kind}/${raw.name}`;
    groups.set(key, [...(groups.get(key) ?? []), raw]);
  }
  const kept: RawDocument[] = [];
  for (const raw of raws) {
    const group = groups.get(`${raw.kind}/${raw.name}`) ?? [];
    if (group.length > 1) {
      const others = group
        .filter((g) => g !== raw)
        .map((g) => `${g.location.file}:${g.location.line}`);
      sinkOf(raw).error(
        ["metadata", "name"],
        `duplicate ${raw.kind} name "${raw.name}" (also at ${others.join(", ")})`,
        `give each ${raw.kind} a unique metadata.name`,
      );
    }
    if (group[0] === raw) kept.push(raw);
  }
  return kept;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Labels and annotations must be strings in OpenSLO; label lists are joined with ",". */
function readMeta(sink: IssueSink, raw: RawDocument): DocumentMeta | undefined {
  let ok = true;
  const strings = (field: "labels" | "annotations"): Record<string, string> => {
    const outMap: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw.metadata[field] ?? {})) {
      if (typeof value === "string") outMap[key] = value;
      else if (
        field === "labels" &&
        Array.isArray(value) &&
        value.every((v) => typeof v === "string")
      )
        outMap[key] = value.join(",");
      else {
        sink.error(
          ["metadata", field, key],
          `${field === "labels" ? "label" : "annotation"} values must be strings, got ${JSON.stringify(value)}`,
          `quote the value, e.g. ${key}: "${typeof value === "object" ? JSON.stringify(value).replaceAll('"', '\\"') : String(value)}"`,
        );
        ok = false;
      }
    }
    return outMap;
  };
  const labels = strings("labels");
  const annotations = strings("annotations");
  if (!ok) return undefined;
  return {
    name: raw.name,
    ...optional("displayName", raw.metadata.displayName),
    labels,
    annotations,
    location: raw.location,
  };
}

function readIndicator(
  sink: IssueSink,
  spec: {
    ratioMetric?: Record<string, unknown> | undefined;
    thresholdMetric?: { metricSource: unknown } | undefined;
  },
  path: Path,
  dataSources: ReadonlyMap<string, DataSourceDocument>,
): Indicator | undefined {
  const ratio = spec.ratioMetric as
    | {
        counter?: boolean;
        good?: { metricSource: unknown };
        bad?: { metricSource: unknown };
        total?: { metricSource: unknown };
        rawType?: string;
        raw?: unknown;
      }
    | undefined;
  const threshold = spec.thresholdMetric;
  if (ratio && threshold) {
    sink.error(
      path,
      "an indicator has either ratioMetric or thresholdMetric, not both",
      "keep one; define a second SLI for the other",
    );
    return undefined;
  }
  if (threshold) {
    const metric = readMetricSource(
      sink,
      threshold.metricSource,
      [...path, "thresholdMetric", "metricSource"],
      dataSources,
    );
    return metric && { type: "threshold", metric };
  }
  if (!ratio) {
    sink.error(
      path,
      "indicator has no metric",
      "add ratioMetric: { counter, good|bad, total } or thresholdMetric: { metricSource }",
    );
    return undefined;
  }
  const rPath = [...path, "ratioMetric"];
  if (ratio.raw !== undefined) {
    sink.error(
      [...rPath, "raw"],
      "raw (precomputed) ratio metrics are not supported",
      "give good and total (or bad and total) counts instead",
    );
    return undefined;
  }
  if ((ratio.good === undefined) === (ratio.bad === undefined)) {
    sink.error(
      rPath,
      ratio.good ? "ratioMetric has both good and bad" : "ratioMetric needs good or bad",
      "write good + total, or bad + total",
    );
    return undefined;
  }
  if (ratio.total === undefined) {
    sink.error(
      rPath,
      "ratioMetric needs total",
      "add total: { metricSource: ... } counting every event",
    );
    return undefined;
  }
  if (ratio.rawType !== undefined) {
    const expected = ratio.good ? "success" : "failure";
    if (ratio.rawType !== expected) {
      sink.error(
        [...rPath, "rawType"],
        `rawType ${ratio.rawType} does not match ${ratio.good ? "good" : "bad"}`,
        `write rawType: ${expected} or remove it`,
      );
      return undefined;
    }
  }
  const which = ratio.good ? "good" : "bad";
  const part = readMetricSource(
    sink,
    (ratio.good ?? ratio.bad)?.metricSource,
    [...rPath, which, "metricSource"],
    dataSources,
  );
  const total = readMetricSource(
    sink,
    ratio.total.metricSource,
    [...rPath, "total", "metricSource"],
    dataSources,
  );
  if (!part || !total) return undefined;
  const counter = ratio.counter ?? true;
  return which === "good"
    ? { type: "ratio", counter, good: part, total }
    : { type: "ratio", counter, bad: part, total };
}

interface SloContext {
  readonly stepMs: number;
  readonly dataSources: ReadonlyMap<string, DataSourceDocument>;
  readonly services: ReadonlyMap<string, ServiceDocument>;
  readonly slis: ReadonlyMap<string, SliDocument | undefined>;
  readonly policyNames: ReadonlySet<string>;
}

function readSlo(sink: IssueSink, raw: RawDocument, ctx: SloContext): SloDocument | undefined {
  const meta = readMeta(sink, raw);
  const spec = sink.check(sloSpecSchema, raw.spec, ["spec"]);
  if (!spec) return undefined;

  let indicator: Indicator | undefined;
  let inlineIndicatorName: string | undefined;
  if (spec.indicator !== undefined && spec.indicatorRef !== undefined) {
    sink.error(
      ["spec", "indicatorRef"],
      "both indicator and indicatorRef are given",
      "keep one: an inline indicator or a reference to an SLI",
    );
  } else if (spec.indicatorRef !== undefined) {
    if (!ctx.slis.has(spec.indicatorRef)) {
      sink.error(
        ["spec", "indicatorRef"],
        `indicatorRef "${spec.indicatorRef}" names no SLI`,
        `declare an SLI document with metadata.name: ${spec.indicatorRef}, or inline the indicator under spec.indicator`,
      );
    }
    indicator = ctx.slis.get(spec.indicatorRef)?.indicator;
  } else if (spec.indicator !== undefined) {
    const inline = sink.check(inlineIndicatorSchema, spec.indicator, ["spec", "indicator"]);
    if (inline) {
      indicator = readIndicator(sink, inline.spec, ["spec", "indicator", "spec"], ctx.dataSources);
      inlineIndicatorName = inline.metadata?.name;
    }
  } else {
    sink.error(
      ["spec"],
      "SLO has no indicator",
      "add spec.indicator (inline SLI) or spec.indicatorRef: <SLI name>",
    );
  }

  if (!ctx.services.has(spec.service)) {
    sink.warn(
      ["spec", "service"],
      `service "${spec.service}" is not declared`,
      `add a Service document with metadata.name: ${spec.service}`,
    );
  }

  const timeWindow = readTimeWindow(sink, spec.timeWindow, ctx.stepMs);
  const method = readBudgetingMethod(sink, spec.budgetingMethod);
  const objectives = readObjectives(
    sink,
    spec.objectives,
    indicator,
    method,
    timeWindow,
    ctx.stepMs,
  );

  const alertPolicies: Record<string, unknown>[] = [];
  for (const [i, entry] of (spec.alertPolicies ?? []).entries()) {
    const p: Path = ["spec", "alertPolicies", i];
    if (
      isRecord(entry) &&
      typeof entry.alertPolicyRef === "string" &&
      Object.keys(entry).length === 1
    ) {
      if (!ctx.policyNames.has(entry.alertPolicyRef)) {
        sink.warn(
          [...p, "alertPolicyRef"],
          `no AlertPolicy named "${entry.alertPolicyRef}" is loaded`,
          "declare it in a loaded file; it is kept as a reference",
        );
      }
      alertPolicies.push(entry);
    } else if (isRecord(entry) && entry.kind === "AlertPolicy" && isRecord(entry.metadata)) {
      if (sink.check(alertPolicySpecSchema, entry.spec, [...p, "spec"])) alertPolicies.push(entry);
    } else {
      sink.error(
        p,
        "alert policy entry is neither a reference nor an inline AlertPolicy",
        "write - alertPolicyRef: <name>, or an inline { kind: AlertPolicy, metadata, spec }",
      );
    }
  }

  if (!meta || !indicator || !timeWindow || !method || !objectives) return undefined;
  const ours = Object.fromEntries(
    Object.entries(meta.annotations).filter(([k]) => k.startsWith(EXTENSION_PREFIX)),
  );
  const others = Object.fromEntries(
    Object.entries(meta.annotations).filter(([k]) => !k.startsWith(EXTENSION_PREFIX)),
  );
  const ext = readExtensions(sink, ours, periodMs(timeWindow), ctx.stepMs);
  if (!ext) return undefined;

  const definition: SloDefinition = {
    name: raw.name,
    ...optional("displayName", meta.displayName),
    service: spec.service,
    ...optional("description", spec.description),
    indicator,
    ...optional("indicatorRef", spec.indicatorRef),
    budgetingMethod: method,
    timeWindow,
    objectives,
    alertTiers: ext.alertTiers,
    exclusions: ext.exclusions,
    minEvents: ext.minEvents,
    labels: meta.labels,
    location: raw.location,
  };
  return {
    kind: "SLO",
    definition,
    annotations: others,
    alertPolicies,
    ...optional("inlineIndicatorName", inlineIndicatorName),
  };
}

function readTimeWindow(sink: IssueSink, raw: unknown, stepMs: number): TimeWindow | undefined {
  const base: Path = ["spec", "timeWindow"];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length !== 1) {
    sink.error(
      base,
      list.length === 0 ? "timeWindow is missing" : "only one timeWindow is supported",
      "write timeWindow: [{ duration: 30d, isRolling: true }]",
    );
    return undefined;
  }
  const path: Path = Array.isArray(raw) ? [...base, 0] : base;
  const tw = sink.check(timeWindowSchema, list[0], path);
  if (!tw) return undefined;
  const m = DURATION.exec(tw.duration);
  if (!m) {
    sink.error(
      [...path, "duration"],
      `"${tw.duration}" is not an OpenSLO duration`,
      "write a whole number and a unit: 30d or 4w (rolling), 1M, 1Q, 1w (calendar)",
    );
    return undefined;
  }
  const count = Number(m[1]);
  const unit = m[2] as string;
  if (tw.isRolling === true) {
    if (tw.calendar) {
      sink.error(
        [...path, "calendar"],
        "a rolling window has no calendar",
        "remove calendar, or write isRolling: false",
      );
      return undefined;
    }
    if (!/[smhdw]/.test(unit)) {
      sink.error(
        [...path, "duration"],
        `rolling windows need a fixed length; ${tw.duration} varies`,
        "write days or weeks, e.g. 30d, or use a calendar window for months",
      );
      return undefined;
    }
    const durationMs = count === 0 ? 0 : parseDuration(tw.duration);
    if (durationMs < stepMs) {
      sink.error(
        [...path, "duration"],
        `window ${tw.duration} is shorter than the ${formatDuration(stepMs)} step`,
        `write at least ${formatDuration(stepMs)}, typically 28d or 30d`,
      );
      return undefined;
    }
    return { type: "rolling", durationMs };
  }
  if (!tw.calendar) {
    sink.error(
      path,
      tw.isRolling === false
        ? "a calendar window needs calendar: { startTime, timeZone }"
        : "timeWindow is neither rolling nor calendar",
      'write isRolling: true, or isRolling: false with calendar: { startTime: "2026-01-01 00:00:00", timeZone: UTC }',
    );
    return undefined;
  }
  const calUnit = CALENDAR_UNITS[unit as keyof typeof CALENDAR_UNITS];
  if (!calUnit || count === 0) {
    sink.error(
      [...path, "duration"],
      `calendar window ${tw.duration} is not whole days, weeks, months, quarters or years`,
      "write e.g. 1M, 1w, 1Q, 1Y or 7d",
    );
    return undefined;
  }
  const tz = tw.calendar.timeZone;
  if (!isValidTimeZone(tz)) {
    sink.error(
      [...path, "calendar", "timeZone"],
      `unknown time zone "${tz}"`,
      "write an IANA zone such as Europe/Paris, America/New_York or UTC",
    );
    return undefined;
  }
  const startTimeMs = parseStartTime(tw.calendar.startTime, tz);
  if (startTimeMs === undefined) {
    sink.error(
      [...path, "calendar", "startTime"],
      `"${tw.calendar.startTime}" is not a start time`,
      'write "YYYY-MM-DD HH:mm:ss" in the time zone, e.g. "2026-01-01 00:00:00"',
    );
    return undefined;
  }
  return { type: "calendar", unit: calUnit, count, startTimeMs, timeZone: tz };
}

function readBudgetingMethod(sink: IssueSink, raw: string): BudgetingMethod | undefined {
  if ((BUDGETING_METHODS as readonly string[]).includes(raw)) return raw as BudgetingMethod;
  const near = closest(raw, BUDGETING_METHODS);
  sink.error(
    ["spec", "budgetingMethod"],
    `unknown budgeting method "${raw}"`,
    near ? `did you mean ${near}?` : `write one of: ${BUDGETING_METHODS.join(", ")}`,
  );
  return undefined;
}

function readObjectives(
  sink: IssueSink,
  raw: readonly unknown[],
  indicator: Indicator | undefined,
  method: BudgetingMethod | undefined,
  window: TimeWindow | undefined,
  stepMs: number,
): Objective[] | undefined {
  if (raw.length === 0) {
    sink.error(
      ["spec", "objectives"],
      "SLO has no objectives",
      "add one, e.g. objectives: [{ displayName: availability, target: 0.999 }]",
    );
    return undefined;
  }
  const out: Objective[] = [];
  const names = new Set<string>();
  let ok = true;
  const fail = (path: Path, message: string, hint: string) => {
    sink.error(path, message, hint);
    ok = false;
  };
  raw.forEach((item, i) => {
    const p: Path = ["spec", "objectives", i];
    const o = sink.check(objectiveSchema, item, p);
    if (!o) {
      ok = false;
      return;
    }
    for (const key of ["indicator", "indicatorRef", "compositeWeight"] as const) {
      if (o[key] !== undefined)
        fail(
          [...p, key],
          "composite SLOs (per-objective indicators) are not supported",
          "split them into one SLO per indicator",
        );
    }
    const target = readTarget(fail, o.target, o.targetPercent, p);
    const name = o.displayName ?? `objective-${i + 1}`;
    if (names.has(name))
      fail(
        [...p, "displayName"],
        `objective name "${name}" is used twice`,
        "give each objective its own displayName",
      );
    names.add(name);

    let op: ComparisonOp | undefined;
    let value: number | undefined;
    if (indicator?.type === "threshold") {
      if (o.op === undefined)
        fail(p, "threshold objective has no op", "add op: lte (or lt, gt, gte)");
      else if (!(OPS as readonly string[]).includes(o.op))
        fail([...p, "op"], `unknown op "${o.op}"`, "write lt, lte, gt or gte");
      else op = o.op as ComparisonOp;
      if (o.value === undefined)
        fail(
          p,
          "threshold objective has no value",
          "add value: the threshold in the metric's unit, e.g. 0.25",
        );
      else value = o.value;
    } else if (indicator && (o.op !== undefined || o.value !== undefined)) {
      sink.warn(p, "op/value are ignored for a ratio indicator", "remove op and value");
    }

    let timeSliceTarget: number | undefined;
    let timeSliceWindowMs: number | undefined;
    if (method === undefined) {
      // Slice fields cannot be checked until the budgeting method is fixed.
    } else if (method === "Occurrences") {
      if (o.timeSliceTarget !== undefined || o.timeSliceWindow !== undefined) {
        sink.warn(
          p,
          "timeSliceTarget/timeSliceWindow are ignored with Occurrences",
          "remove them, or use budgetingMethod: Timeslices",
        );
      }
    } else {
      if (o.timeSliceWindow === undefined) {
        fail(p, `${method} needs timeSliceWindow`, "add timeSliceWindow: 5m");
      } else {
        const ms = tryDuration(o.timeSliceWindow);
        const wp: Path = [...p, "timeSliceWindow"];
        const windowLength =
          window?.type === "rolling" ? window.durationMs : Number.POSITIVE_INFINITY;
        if (ms === undefined)
          fail(wp, `"${o.timeSliceWindow}" is not a duration`, "write e.g. 1m or 5m");
        else if (ms < stepMs)
          fail(
            wp,
            `timeSliceWindow ${o.timeSliceWindow} is shorter than the ${formatDuration(stepMs)} step`,
            `write at least ${formatDuration(stepMs)}`,
          );
        else if (ms % stepMs !== 0)
          fail(
            wp,
            `timeSliceWindow ${o.timeSliceWindow} is not a whole number of ${formatDuration(stepMs)} steps`,
            `write a multiple of ${formatDuration(stepMs)}`,
          );
        else if (ms > windowLength)
          fail(
            wp,
            `timeSliceWindow ${o.timeSliceWindow} is longer than the time window`,
            "write a slice much shorter than the window, e.g. 5m",
          );
        else timeSliceWindowMs = ms;
      }
      if (method === "Timeslices" && o.timeSliceTarget !== undefined) {
        if (o.timeSliceTarget > 0 && o.timeSliceTarget <= 1) timeSliceTarget = o.timeSliceTarget;
        else
          fail(
            [...p, "timeSliceTarget"],
            `timeSliceTarget ${o.timeSliceTarget} is outside (0, 1]`,
            "write a fraction, e.g. 0.95",
          );
      } else if (method === "RatioTimeslices" && o.timeSliceTarget !== undefined) {
        sink.warn(
          [...p, "timeSliceTarget"],
          "timeSliceTarget is ignored with RatioTimeslices",
          "remove it, or use budgetingMethod: Timeslices",
        );
      }
    }
    if (target === undefined) return;
    out.push({
      name,
      target,
      ...optional("op", op),
      ...optional("value", value),
      ...optional("timeSliceTarget", timeSliceTarget),
      ...optional("timeSliceWindowMs", timeSliceWindowMs),
    });
  });
  return ok ? out : undefined;
}

function readTarget(
  fail: (path: Path, message: string, hint: string) => void,
  target: number | undefined,
  percent: number | undefined,
  p: Path,
): number | undefined {
  if (target !== undefined && percent !== undefined) {
    fail(
      [...p, "targetPercent"],
      "both target and targetPercent are given",
      "keep one: target: 0.999 or targetPercent: 99.9",
    );
    return undefined;
  }
  if (target !== undefined) {
    if (target > 0 && target < 1) return target;
    fail(
      [...p, "target"],
      `target ${target} is outside (0, 1)`,
      target >= 1 && target < 100
        ? `write a fraction, e.g. ${Number((target / 100).toPrecision(12))}, or use targetPercent: ${target}`
        : "write a fraction between 0 and 1, e.g. 0.999, or use targetPercent: 99.9",
    );
    return undefined;
  }
  if (percent !== undefined) {
    if (percent > 0 && percent < 100) return Number((percent / 100).toPrecision(12));
    fail(
      [...p, "targetPercent"],
      `targetPercent ${percent} is outside (0, 100)`,
      "write a percentage such as 99.9",
    );
    return undefined;
  }
  fail(p, "objective has no target", "add target: 0.999 (or targetPercent: 99.9)");
  return undefined;
}

function tryDuration(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}
