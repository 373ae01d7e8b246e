import type { S3Client } from "@aws-sdk/client-s3";
import { SloPlatformError } from "@slo/core/errors";
import { STAGE_REPORT_KEY, type StageReport } from "@slo/core/stage-report";
import { UsageError } from "./io.ts";

/**
 * Help lines of `--bucket`, shared by the commands that read the stage report, with
 * the description starting at `column` as the command's other options do.
 */
export function bucketHelp(column: number): string {
  const pad = " ".repeat(column);
  return `${"  --bucket NAME".padEnd(column)}the stage's rollup bucket, where the burn-rate evaluator
${pad}writes ${STAGE_REPORT_KEY} (default $SLO_REPORT_BUCKET; the
${pad}stage's "rollupBucket" output: jq -r .rollupBucket .sst/outputs.json)`;
}

/** The stage report could not be read: S3 refused or failed, named with the object and the fix. */
export class StageReportReadError extends SloPlatformError {
  /** The SDK error name (`AccessDenied`, `SlowDown`, ...). */
  readonly code: string;
  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, "aws", options);
    this.name = "StageReportReadError";
    this.code = code;
  }
}

/**
 * The bucket named by `--bucket` or `$SLO_REPORT_BUCKET`.
 *
 * @throws UsageError naming both and where the name comes from.
 * @example
 * const bucket = reportBucket(values.bucket, "--aws");
 */
export function reportBucket(flag: string | undefined, needs: string): string {
  const bucket = (flag ?? process.env.SLO_REPORT_BUCKET ?? "").trim();
  if (bucket === "") {
    throw new UsageError(
      `${needs} reads the stage report from the stage's rollup bucket: pass --bucket NAME or set SLO_REPORT_BUCKET (the stage's "rollupBucket" output, e.g. jq -r .rollupBucket .sst/outputs.json)`,
    );
  }
  return bucket;
}

/** What S3 said about the report: the report, or that none was written yet. */
export interface ReadStageReport {
  /** `s3://bucket/reports/stage.json`, for messages. */
  readonly location: string;
  /** `undefined` when the object does not exist. */
  readonly report: StageReport | undefined;
}

const FIXES: Readonly<Record<string, string>> = {
  AccessDenied:
    'this identity may not read it: attach the stage\'s operator policy (the "operatorPolicy" output) and check that --bucket is the stage\'s "rollupBucket" output',
  NoSuchBucket: 'no such bucket: pass the stage\'s "rollupBucket" output as --bucket',
  SlowDown: "S3 throttled the read: retry in a few seconds",
};

/**
 * Reads the stage report the burn-rate evaluator writes each run (one GET). A missing
 * object is `report: undefined` (no run has written one); a report that does not parse
 * throws `StageReportError`; anything S3 refuses or fails throws
 * {@link StageReportReadError} naming the object, so no caller can mistake a failed read
 * for a healthy stage.
 *
 * @example
 * const { report, location } = await readStageReport(createS3Client({ region }), bucket);
 */
export async function readStageReport(
  s3: S3Client,
  bucket: string,
  signal?: AbortSignal,
): Promise<ReadStageReport> {
  const { S3StageReportStore } = await import("@slo/aws");
  const store = new S3StageReportStore(s3, bucket);
  try {
    return { location: store.location, report: await store.get(signal) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof SloPlatformError && error.kind === "aws") {
      const name = typeof code === "string" ? code : error.name;
      const fix = FIXES[name] ?? (/throttl/i.test(name) ? FIXES.SlowDown : undefined);
      const first = error.message.split("\n", 1)[0];
      throw new StageReportReadError(
        `cannot read ${store.location}: ${first}${fix ? `; ${fix}` : ""}`,
        name,
        { cause: error },
      );
    }
    throw error;
  }
}
