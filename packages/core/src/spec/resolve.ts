import { readAlertDocument } from "./alerting.ts";
import type {
  DataSourceDocument,
  LoadResult,
  ParsedFile,
  RawDocument,
  ServiceDocument,
  SliDocument,
  SpecDocument,
} from "./documents.ts";
import { readIndicator } from "./indicator.ts";
import type { SpecIssue } from "./issues.ts";
import { optional, readMeta } from "./meta.ts";
import type { SloDefinition } from "./model.ts";
import { IssueSink } from "./report.ts";
import { dataSourceSpecSchema, serviceSpecSchema, sliSpecSchema } from "./schema.ts";
import { readSlo } from "./slo.ts";

/** Options for validation. */
export interface ResolveOptions {
  /** Evaluation step in ms: windows and time slices must be at least this long. Default 1 minute. */
  readonly stepMs?: number;
}

const ALERT_KINDS: ReadonlySet<RawDocument["kind"]> = new Set([
  "AlertCondition",
  "AlertNotificationTarget",
  "AlertPolicy",
]);

/**
 * Checks every parsed document's spec and resolves references across files
 * (`indicatorRef` -> SLI, `metricSourceRef` -> DataSource, `spec.service` -> Service,
 * alert policy refs), reporting duplicates at every location. Pure. Kinds are read in
 * dependency order (DataSource, Service, SLI, alerting, SLO), each in its own file.
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
  // Reads each document of a kind into `out` and returns the readable ones by name.
  const readAll = <D extends SpecDocument>(
    kind: RawDocument["kind"],
    read: (sink: IssueSink, raw: RawDocument) => D | undefined,
  ): Map<string, D> => {
    const byName = new Map<string, D>();
    for (const raw of byKind(kind)) {
      const doc = read(sinkOf(raw), raw);
      if (!doc) continue;
      byName.set(raw.name, doc);
      out.set(raw, doc);
    }
    return byName;
  };

  const dataSources = readAll("DataSource", readDataSource);
  const services = readAll("Service", readService);
  const slis = readAll("SLI", (sink, raw) => readSli(sink, raw, dataSources));
  const conditionNames = new Set(byKind("AlertCondition").map((r) => r.name));
  for (const raw of unique) {
    if (!ALERT_KINDS.has(raw.kind)) continue;
    const doc = readAlertDocument(sinkOf(raw), raw, conditionNames);
    if (doc) out.set(raw, doc);
  }
  const slos: SloDefinition[] = [];
  const sloContext = {
    stepMs,
    dataSources,
    services,
    // An SLI that failed to read still exists: SLOs naming it get no second error.
    sliNames: new Set(byKind("SLI").map((r) => r.name)),
    slis,
    policyNames: new Set(byKind("AlertPolicy").map((r) => r.name)),
  };
  for (const raw of byKind("SLO")) {
    const doc = readSlo(sinkOf(raw), raw, sloContext);
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

function readDataSource(sink: IssueSink, raw: RawDocument): DataSourceDocument | undefined {
  const meta = readMeta(sink, raw);
  const spec = sink.check(dataSourceSpecSchema, raw.spec, ["spec"]);
  if (!meta || !spec) return undefined;
  return {
    kind: "DataSource",
    ...meta,
    ...optional("description", spec.description),
    type: spec.type,
    connectionDetails: spec.connectionDetails ?? {},
  };
}

function readService(sink: IssueSink, raw: RawDocument): ServiceDocument | undefined {
  const meta = readMeta(sink, raw);
  const spec = sink.check(serviceSpecSchema, raw.spec ?? {}, ["spec"]);
  if (!meta || !spec) return undefined;
  return { kind: "Service", ...meta, ...optional("description", spec.description) };
}

function readSli(
  sink: IssueSink,
  raw: RawDocument,
  dataSources: ReadonlyMap<string, DataSourceDocument>,
): SliDocument | undefined {
  const meta = readMeta(sink, raw);
  const spec = sink.check(sliSpecSchema, raw.spec, ["spec"]);
  const indicator = spec && readIndicator(sink, spec, ["spec"], dataSources);
  if (!meta || !spec || !indicator) return undefined;
  return {
    kind: "SLI",
    ...meta,
    ...optional("description", spec.description),
    indicator,
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
