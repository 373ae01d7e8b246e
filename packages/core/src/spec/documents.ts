import type * as z from "zod";
import type { SpecIssue } from "./issues.ts";
import type { LineLookup } from "./lines.ts";
import type { Indicator, SloDefinition, SourceLocation } from "./model.ts";
import type {
  alertConditionSpecSchema,
  alertPolicySpecSchema,
  notificationTargetSpecSchema,
} from "./schema.ts";

/** OpenSLO v1 kinds this loader reads. */
export const KNOWN_KINDS = [
  "SLO",
  "SLI",
  "Service",
  "DataSource",
  "AlertPolicy",
  "AlertCondition",
  "AlertNotificationTarget",
] as const;
export type DocumentKind = (typeof KNOWN_KINDS)[number];

/** The `metadata` every document carries, minus what the engine reads into fields. */
export interface DocumentMeta {
  readonly name: string;
  readonly displayName?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations other than the engine's own `slo-platform.dev/*` extensions. */
  readonly annotations: Readonly<Record<string, string>>;
  readonly location: SourceLocation;
}

/** An SLO: the engine's definition plus what OpenSLO carries that the engine does not use. */
export interface SloDocument {
  readonly kind: "SLO";
  readonly definition: SloDefinition;
  /** Non-extension annotations, kept for export. */
  readonly annotations: Readonly<Record<string, string>>;
  /** `spec.alertPolicies` entries as written (`{ alertPolicyRef }` or inline), kept for export. */
  readonly alertPolicies: readonly Readonly<Record<string, unknown>>[];
  /** `metadata.name` of an inline indicator, when it had one. */
  readonly inlineIndicatorName?: string;
}

export interface SliDocument extends DocumentMeta {
  readonly kind: "SLI";
  readonly description?: string;
  readonly indicator: Indicator;
}

/** An OpenSLO `Service`; SLOs name it in `spec.service`. */
export interface ServiceDocument extends DocumentMeta {
  readonly kind: "Service";
  readonly description?: string;
}

export interface DataSourceDocument extends DocumentMeta {
  readonly kind: "DataSource";
  readonly description?: string;
  /** `CloudWatch`, `Prometheus`, ... */
  readonly type: string;
  readonly connectionDetails: Readonly<Record<string, unknown>>;
}

export interface AlertPolicyDocument extends DocumentMeta {
  readonly kind: "AlertPolicy";
  readonly spec: z.infer<typeof alertPolicySpecSchema>;
}

export interface AlertConditionDocument extends DocumentMeta {
  readonly kind: "AlertCondition";
  readonly spec: z.infer<typeof alertConditionSpecSchema>;
}

export interface AlertNotificationTargetDocument extends DocumentMeta {
  readonly kind: "AlertNotificationTarget";
  readonly spec: z.infer<typeof notificationTargetSpecSchema>;
}

/** One validated OpenSLO document, normalised; `toOpenSloYaml` writes a list of these back. */
export type SpecDocument =
  | SloDocument
  | SliDocument
  | ServiceDocument
  | DataSourceDocument
  | AlertPolicyDocument
  | AlertConditionDocument
  | AlertNotificationTargetDocument;

/** A document whose envelope (apiVersion, kind, metadata) was read; its spec is not yet checked. */
export interface RawDocument {
  readonly kind: DocumentKind;
  readonly name: string;
  readonly metadata: {
    readonly name: string;
    readonly displayName?: string | undefined;
    readonly labels?: Record<string, unknown> | undefined;
    readonly annotations?: Record<string, unknown> | undefined;
  };
  readonly spec: unknown;
  readonly location: SourceLocation;
  readonly lineOf: LineLookup;
}

/** One file's documents after YAML parsing and envelope checks (see `parseSloDocuments`). */
export interface ParsedFile {
  readonly file: string;
  readonly documents: readonly RawDocument[];
  readonly issues: readonly SpecIssue[];
  readonly warnings: readonly SpecIssue[];
}

/** The loaded, cross-checked definition set. `issues` are errors; `warnings` do not fail validation. */
export interface LoadResult {
  /** Every file read, plus any path that was unreadable or held no YAML, in load order. */
  readonly files: readonly string[];
  readonly slos: SloDefinition[];
  readonly services: ServiceDocument[];
  readonly documents: SpecDocument[];
  readonly issues: SpecIssue[];
  readonly warnings: SpecIssue[];
}
