import type { S3Client } from "@aws-sdk/client-s3";
import {
  encodeStageReport,
  parseStageReport,
  STAGE_REPORT_KEY,
  type StageReport,
} from "@slo/core/stage-report";
import { getObjectIfExists, putObject } from "../rollup/s3-object.ts";

/**
 * Where the burn-rate evaluator leaves the stage report each run and where the gate and
 * doctor read it (`@slo/core/stage-report`).
 */
export interface StageReportStore {
  put(report: StageReport, signal?: AbortSignal): Promise<void>;
  /** `undefined` when no run has written one yet. */
  get(signal?: AbortSignal): Promise<StageReport | undefined>;
}

/**
 * In-memory `StageReportStore` (tests, `slo invoke --local`, benchmarks); it keeps the
 * encoded bytes so readers parse exactly what S3 would hold.
 *
 * @example
 * const reports = new MemoryStageReportStore();
 */
export class MemoryStageReportStore implements StageReportStore {
  body: string | undefined;
  readonly stats = { puts: 0, gets: 0, bytes: 0 };

  async put(report: StageReport): Promise<void> {
    this.body = encodeStageReport(report);
    this.stats.puts++;
    this.stats.bytes = Buffer.byteLength(this.body);
  }

  async get(): Promise<StageReport | undefined> {
    this.stats.gets++;
    return this.body === undefined
      ? undefined
      : parseStageReport(this.body, `memory:${STAGE_REPORT_KEY}`);
  }
}

/**
 * The stage report as one JSON object, `reports/stage.json` in the rollup bucket,
 * overwritten every run (one PUT a run: $0.04 a month at a 5-minute schedule).
 *
 * @example
 * const reports = new S3StageReportStore(s3, Resource.RollupBucket.name);
 * const report = await reports.get();
 */
export class S3StageReportStore implements StageReportStore {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  /** Where the report lives, for messages. */
  get location(): string {
    return `s3://${this.#bucket}/${STAGE_REPORT_KEY}`;
  }

  async put(report: StageReport, signal?: AbortSignal): Promise<void> {
    await putObject(
      { client: this.#s3, bucket: this.#bucket, key: STAGE_REPORT_KEY, signal },
      encodeStageReport(report),
      "application/json",
    );
  }

  async get(signal?: AbortSignal): Promise<StageReport | undefined> {
    const found = await getObjectIfExists({
      client: this.#s3,
      bucket: this.#bucket,
      key: STAGE_REPORT_KEY,
      signal,
    });
    return found && parseStageReport(new TextDecoder().decode(found.body), this.location);
  }
}
