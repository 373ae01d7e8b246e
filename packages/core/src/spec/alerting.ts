import type { RawDocument, SpecDocument } from "./documents.ts";
import { readMeta } from "./meta.ts";
import { isRecord } from "./parse.ts";
import type { IssueSink, Path } from "./report.ts";
import {
  alertConditionSpecSchema,
  alertPolicySpecSchema,
  notificationTargetSpecSchema,
} from "./schema.ts";

/**
 * Reads an AlertCondition, AlertNotificationTarget or AlertPolicy document. They are
 * validated and kept for export; the engine alerts with its own tiers. A policy's
 * conditions are references (a missing one is a warning) or inline AlertConditions.
 */
export function readAlertDocument(
  sink: IssueSink,
  raw: RawDocument,
  conditionNames: ReadonlySet<string>,
): SpecDocument | undefined {
  const meta = readMeta(sink, raw);
  if (raw.kind === "AlertCondition") {
    const spec = sink.check(alertConditionSpecSchema, raw.spec, ["spec"]);
    return meta && spec ? { kind: "AlertCondition", ...meta, spec } : undefined;
  }
  if (raw.kind === "AlertNotificationTarget") {
    const spec = sink.check(notificationTargetSpecSchema, raw.spec, ["spec"]);
    return meta && spec ? { kind: "AlertNotificationTarget", ...meta, spec } : undefined;
  }
  const spec = sink.check(alertPolicySpecSchema, raw.spec, ["spec"]);
  if (!meta || !spec) return undefined;
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
  return conditionsOk ? { kind: "AlertPolicy", ...meta, spec } : undefined;
}
