/**
 * `@slo/core/spec`: OpenSLO v1 definitions — parse, validate, resolve, serialise.
 * See slos/README.md for the accepted shapes and the `slo-platform.dev/*` extensions.
 */
export {
  ALERT_WINDOW_STEP_MS,
  alertTier,
  defaultAlertTiers,
  periodMs,
  wholeStepWindow,
} from "./alert-tiers.ts";
export type {
  AlertConditionDocument,
  AlertNotificationTargetDocument,
  AlertPolicyDocument,
  DataSourceDocument,
  DocumentKind,
  DocumentMeta,
  LoadResult,
  ParsedFile,
  RawDocument,
  ServiceDocument,
  SliDocument,
  SloDocument,
  SpecDocument,
} from "./documents.ts";
export { KNOWN_KINDS } from "./documents.ts";
export {
  ALERT_TIERS_KEY,
  DEFAULT_MIN_EVENTS,
  EXCLUSIONS_KEY,
  EXTENSION_PREFIX,
  MIN_EVENTS_KEY,
} from "./extensions.ts";
export type { SpecIssue } from "./issues.ts";
export { formatSpecIssues, SloSpecError, sortIssues } from "./issues.ts";
export { loadSloFiles } from "./load.ts";
export type * from "./model.ts";
export { parseSloDocuments } from "./parse.ts";
export type { ResolveOptions } from "./resolve.ts";
export { resolveSloDocuments } from "./resolve.ts";
export { toOpenSloObject, toOpenSloYaml } from "./serialize.ts";
export { stableJson } from "./stable-json.ts";
