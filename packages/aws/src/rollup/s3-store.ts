import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { callAws } from "../budget.ts";
import { AwsCallError, RollupConflictError } from "../errors.ts";
import { encodeRollup, type RollupRecord } from "./codec.ts";
import {
  type RollupReadResult,
  type RollupStore,
  rollupObjectName,
  toReadResult,
} from "./store.ts";

export interface S3RollupStoreOptions {
  readonly client: S3Client;
  /** The linked `RollupBucket` name. */
  readonly bucket: string;
  /** Key prefix, e.g. `rollups/prod/` (default `rollups/`). */
  readonly prefix?: string;
  readonly signal?: AbortSignal;
}

/**
 * `RollupStore` on S3: one object per SLO objective, written with S3 conditional writes
 * (`If-Match: <etag>` to replace, `If-None-Match: *` to create) so two overlapping runs
 * cannot overwrite each other's counts.
 *
 * @example
 * const store = new S3RollupStore({ client: createS3Client(), bucket: Resource.RollupBucket.name });
 */
export class S3RollupStore implements RollupStore {
  readonly name: string;
  readonly #opts: S3RollupStoreOptions;
  readonly #prefix: string;

  constructor(opts: S3RollupStoreOptions) {
    this.#opts = opts;
    this.#prefix = opts.prefix ?? "rollups/";
    this.name = `s3://${opts.bucket}/${this.#prefix}`;
  }

  objectKey(key: string): string {
    return `${this.#prefix}${rollupObjectName(key)}`;
  }

  async read(key: string): Promise<RollupReadResult> {
    const { client, bucket, signal } = this.#opts;
    let out: GetObjectCommandOutput;
    try {
      out = await callAws(
        "s3:GetObject",
        () =>
          client.send(new GetObjectCommand({ Bucket: bucket, Key: this.objectKey(key) }), {
            abortSignal: signal,
          }),
        signal,
      );
    } catch (err) {
      if (err instanceof AwsCallError && (err.code === "NoSuchKey" || err.code === "NotFound")) {
        return { status: "missing" };
      }
      throw err;
    }
    const body = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    return toReadResult(key, body, out.ETag ?? "");
  }

  async write(record: RollupRecord, ifMatch: string | null): Promise<string> {
    const { client, bucket, signal } = this.#opts;
    const body = encodeRollup(record);
    try {
      const out = await callAws(
        "s3:PutObject",
        () =>
          client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: this.objectKey(record.key),
              Body: body,
              ContentType: "application/octet-stream",
              ...(ifMatch === null ? { IfNoneMatch: "*" } : { IfMatch: ifMatch }),
            }),
            { abortSignal: signal },
          ),
        signal,
      );
      return out.ETag ?? "";
    } catch (err) {
      if (
        err instanceof AwsCallError &&
        (err.code === "PreconditionFailed" || err.code === "ConditionalRequestConflict")
      ) {
        throw new RollupConflictError(
          `s3://${bucket}/${this.objectKey(record.key)} changed since it was read (${err.code}); re-read and merge`,
          { cause: err },
        );
      }
      throw err;
    }
  }
}
