import type { S3Client } from "@aws-sdk/client-s3";
import { getObjectIfExists, putObject } from "@slo/aws";
import { SloPlatformError } from "@slo/core/errors";
import type { ShardOutcome } from "@slo/core/shard";
import type { StageReportObjective } from "@slo/core/stage-report";
import type { AlertObservation } from "./alert-state.ts";
import type { JobFailure } from "./job.ts";

/** A shard outcome object that cannot be read back (not JSON, or not an outcome). */
export class ShardResultError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "aws", options);
    this.name = "ShardResultError";
  }
}

/**
 * What a burn-rate shard leaves for the merge step: its alert observations, failures and
 * stage report rows (the merge writes the one stage report).
 */
export type ShardAlertOutcome = ShardOutcome<AlertObservation, JobFailure> & {
  readonly objectives: readonly StageReportObjective[];
};

/**
 * Hand-off between the shards of one run and the merge step that notifies. A shard's
 * observations can be megabytes at 10,000 SLOs, far over Step Functions' 256 KB state
 * payload, so they go through the rollup bucket and only the shard ids travel in the
 * execution.
 */
export interface ShardResultStore {
  put(outcome: ShardAlertOutcome, signal?: AbortSignal): Promise<void>;
  /** `undefined` when the shard left nothing for this step (it failed or never ran). */
  get(endMs: number, shard: string, signal?: AbortSignal): Promise<ShardAlertOutcome | undefined>;
}

/** Object key of one shard's outcome for the step ending `endMs`. */
export function shardResultKey(endMs: number, shard: string): string {
  return `shard-results/${new Date(endMs).toISOString()}/${encodeURIComponent(shard)}.json`;
}

/**
 * In-memory `ShardResultStore` (tests, local runs, benchmarks).
 *
 * @example
 * const results = new MemoryShardResults();
 */
export class MemoryShardResults implements ShardResultStore {
  readonly objects = new Map<string, string>();
  readonly stats = { puts: 0, gets: 0, bytes: 0 };

  async put(outcome: ShardAlertOutcome): Promise<void> {
    const body = JSON.stringify(outcome);
    this.stats.puts++;
    this.stats.bytes += Buffer.byteLength(body);
    this.objects.set(shardResultKey(outcome.endMs, outcome.shard), body);
  }

  async get(endMs: number, shard: string): Promise<ShardAlertOutcome | undefined> {
    this.stats.gets++;
    const body = this.objects.get(shardResultKey(endMs, shard));
    return body === undefined ? undefined : parseOutcome(body, shardResultKey(endMs, shard));
  }
}

/**
 * Shard outcomes as JSON objects under `shard-results/` in the rollup bucket (a lifecycle
 * rule expires them after a day: infra/sharded-evaluation.ts).
 *
 * @example
 * const results = new S3ShardResults(s3, Resource.RollupBucket.name);
 */
export class S3ShardResults implements ShardResultStore {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async put(outcome: ShardAlertOutcome, signal?: AbortSignal): Promise<void> {
    await putObject(
      {
        client: this.#s3,
        bucket: this.#bucket,
        key: shardResultKey(outcome.endMs, outcome.shard),
        signal,
      },
      JSON.stringify(outcome),
      "application/json",
    );
  }

  async get(endMs: number, shard: string, signal?: AbortSignal) {
    const key = shardResultKey(endMs, shard);
    const found = await getObjectIfExists({ client: this.#s3, bucket: this.#bucket, key, signal });
    return found && parseOutcome(new TextDecoder().decode(found.body), key);
  }
}

function parseOutcome(body: string, where: string): ShardAlertOutcome {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (cause) {
    throw new ShardResultError(`shard result ${where} is not JSON; rerun the shard`, { cause });
  }
  const o = v as Partial<ShardAlertOutcome>;
  if (
    typeof o?.shard !== "string" ||
    typeof o.endMs !== "number" ||
    !Array.isArray(o.reports) ||
    !Array.isArray(o.failed) ||
    !Array.isArray(o.objectives)
  ) {
    throw new ShardResultError(
      `shard result ${where} lacks shard/endMs/reports/failed/objectives; rerun the shard that wrote it`,
    );
  }
  return o as ShardAlertOutcome;
}
