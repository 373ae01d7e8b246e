import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { callAws } from "../budget.ts";
import { AwsCallError, RollupConflictError } from "../errors.ts";
import type { ShardObjectStore } from "./shard-store.ts";

export interface S3ShardObjectStoreOptions {
  readonly client: S3Client;
  /** The linked `RollupBucket` name. */
  readonly bucket: string;
  /** Key prefix (default `rollup-shards/`). */
  readonly prefix?: string;
  readonly signal?: AbortSignal;
}

/**
 * Shard objects on S3: one GET per shard per run, one PUT with `If-Match` (or
 * `If-None-Match: *` on creation) so two overlapping runs of a shard cannot lose data.
 *
 * @example
 * const store = await ShardRollupStore.open(new S3ShardObjectStore({ client, bucket }), shard.id);
 */
export class S3ShardObjectStore implements ShardObjectStore {
  readonly name: string;
  readonly #opts: S3ShardObjectStoreOptions;
  readonly #prefix: string;

  constructor(opts: S3ShardObjectStoreOptions) {
    this.#opts = opts;
    this.#prefix = opts.prefix ?? "rollup-shards/";
    this.name = `s3://${opts.bucket}/${this.#prefix}`;
  }

  async get(name: string) {
    const { client, bucket, signal } = this.#opts;
    let out: GetObjectCommandOutput;
    try {
      out = await callAws(
        "s3:GetObject",
        () =>
          client.send(new GetObjectCommand({ Bucket: bucket, Key: this.#prefix + name }), {
            abortSignal: signal,
          }),
        signal,
      );
    } catch (err) {
      if (err instanceof AwsCallError && (err.code === "NoSuchKey" || err.code === "NotFound")) {
        return undefined;
      }
      throw err;
    }
    const body = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    return { body, etag: out.ETag ?? "" };
  }

  async put(name: string, body: Uint8Array, ifMatch: string | null): Promise<string> {
    const { client, bucket, signal } = this.#opts;
    try {
      const out = await callAws(
        "s3:PutObject",
        () =>
          client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: this.#prefix + name,
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
          `s3://${bucket}/${this.#prefix}${name} changed since it was read (${err.code}); the next run re-reads it`,
          { cause: err },
        );
      }
      throw err;
    }
  }
}
