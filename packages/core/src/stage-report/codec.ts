import { z } from "zod";
import { STAGE_REPORT_VERSION, type StageReport, StageReportError } from "./model.ts";

const nullableNumber = z.number().finite().nullable();

const schema = z.strictObject({
  version: z.literal(STAGE_REPORT_VERSION),
  stage: z.string().min(1),
  evaluatedAtMs: z.number().int(),
  stepMs: z.number().int().positive(),
  objectives: z.array(
    z.strictObject({
      service: z.string().min(1),
      slo: z.string().min(1),
      objective: z.string().min(1),
      target: z.number().gt(0).lt(1),
      sli: nullableNumber,
      budgetRemaining: nullableNumber,
      alertState: z.union([z.literal(0), z.literal(1), z.literal(2)]).nullable(),
    }),
  ),
  failed: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
});

/**
 * The stage report as the JSON the evaluator writes.
 *
 * @example
 * await s3.put(STAGE_REPORT_KEY, encodeStageReport(report));
 */
export function encodeStageReport(report: StageReport): string {
  return JSON.stringify(report);
}

/**
 * Reads a stage report strictly: a report that is not JSON, is of another version or
 * lacks a field is refused with the object's name and the field, never half-read (the
 * gate decides deploys from it).
 *
 * @example
 * const report = parseStageReport(body, "s3://bucket/reports/stage.json");
 */
export function parseStageReport(text: string, where: string): StageReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new StageReportError(
      `${where} is not JSON (${text.length} bytes): the burn-rate evaluator rewrites it each run; wait one run or check its logs`,
      { cause },
    );
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (version !== STAGE_REPORT_VERSION) {
    throw new StageReportError(
      `${where} is stage report version ${JSON.stringify(version)}, this CLI reads version ${STAGE_REPORT_VERSION}: use the CLI of the deployed release`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "(root)";
    throw new StageReportError(
      `${where}: field ${field}: ${issue?.message ?? "invalid"}; the object was not written by this release's evaluator: redeploy the stage or use the matching CLI`,
    );
  }
  return parsed.data;
}
