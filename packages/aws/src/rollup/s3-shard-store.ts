import type { S3Client } from "@aws-sdk/client-s3";
import { getObjectIfExists, putObjectIfUnchanged } from "./s3-object.ts";
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

  get(name: string) {
    return getObjectIfExists(this.#ref(name));
  }

  put(name: string, body: Uint8Array, ifMatch: string | null): Promise<string> {
    return putObjectIfUnchanged(this.#ref(name), body, ifMatch, "the next run re-reads it");
  }

  #ref(name: string) {
    const { client, bucket, signal } = this.#opts;
    return { client, bucket, key: this.#prefix + name, signal };
  }
}
