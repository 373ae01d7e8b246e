import { periodMs } from "./alert-tiers.ts";
import type {
  DataSourceDocument,
  RawDocument,
  ServiceDocument,
  SliDocument,
  SloDocument,
} from "./documents.ts";
import { EXTENSION_PREFIX, readExtensions } from "./extensions.ts";
import { readIndicator } from "./indicator.ts";
import { optional, readMeta } from "./meta.ts";
import type { Indicator, SloDefinition } from "./model.ts";
import { readBudgetingMethod, readObjectives } from "./objectives.ts";
import { isRecord } from "./parse.ts";
import type { IssueSink, Path } from "./report.ts";
import {
  alertPolicySpecSchema,
  inlineIndicatorSchema,
  type SloSpec,
  sloSpecSchema,
} from "./schema.ts";
import { readTimeWindow } from "./time-window.ts";

/** What an SLO may refer to, read from the other documents first. */
export interface SloContext {
  readonly stepMs: number;
  readonly dataSources: ReadonlyMap<string, DataSourceDocument>;
  readonly services: ReadonlyMap<string, ServiceDocument>;
  /** Every SLI declared, including ones that failed to read (already reported). */
  readonly sliNames: ReadonlySet<string>;
  readonly slis: ReadonlyMap<string, SliDocument>;
  readonly policyNames: ReadonlySet<string>;
}

/**
 * Reads one SLO document: its indicator (inline or by reference), window, budgeting
 * method, objectives, alert policy references and `slo-platform.dev/*` extensions.
 */
export function readSlo(
  sink: IssueSink,
  raw: RawDocument,
  ctx: SloContext,
): SloDocument | undefined {
  const meta = readMeta(sink, raw);
  const spec = sink.check(sloSpecSchema, raw.spec, ["spec"]);
  if (!spec) return undefined;

  const { indicator, inlineIndicatorName } = readSloIndicator(sink, spec, ctx);

  if (!ctx.services.has(spec.service)) {
    sink.warn(
      ["spec", "service"],
      `service "${spec.service}" is not declared`,
      `add a Service document with metadata.name: ${spec.service}`,
    );
  }

  const timeWindow = readTimeWindow(sink, spec.timeWindow, ctx.stepMs);
  const method = readBudgetingMethod(sink, spec.budgetingMethod);
  const objectives = readObjectives(sink, spec.objectives, {
    indicator,
    method,
    window: timeWindow,
    stepMs: ctx.stepMs,
  });

  const alertPolicies = readAlertPolicyEntries(sink, spec.alertPolicies ?? [], ctx.policyNames);

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

/** The SLO's indicator: inline (`spec.indicator`) or an SLI named by `spec.indicatorRef`. */
function readSloIndicator(
  sink: IssueSink,
  spec: SloSpec,
  ctx: SloContext,
): { indicator: Indicator | undefined; inlineIndicatorName: string | undefined } {
  let indicator: Indicator | undefined;
  let inlineIndicatorName: string | undefined;
  if (spec.indicator !== undefined && spec.indicatorRef !== undefined) {
    sink.error(
      ["spec", "indicatorRef"],
      "both indicator and indicatorRef are given",
      "keep one: an inline indicator or a reference to an SLI",
    );
  } else if (spec.indicatorRef !== undefined) {
    if (!ctx.sliNames.has(spec.indicatorRef)) {
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
  return { indicator, inlineIndicatorName };
}

/** `spec.alertPolicies`: references to AlertPolicy documents or inline ones, kept for export. */
function readAlertPolicyEntries(
  sink: IssueSink,
  entries: readonly unknown[],
  policyNames: ReadonlySet<string>,
): Record<string, unknown>[] {
  const alertPolicies: Record<string, unknown>[] = [];
  for (const [i, entry] of entries.entries()) {
    const p: Path = ["spec", "alertPolicies", i];
    if (
      isRecord(entry) &&
      typeof entry.alertPolicyRef === "string" &&
      Object.keys(entry).length === 1
    ) {
      if (!policyNames.has(entry.alertPolicyRef)) {
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
  return alertPolicies;
}
