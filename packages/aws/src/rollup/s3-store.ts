import type { S3Client } from "@aws-sdk/client-s3";
import { encodeRollup, type RollupRecord } from "./codec.ts";
import { getObjectIfExists, putObjectIfUnchanged } from "./s3-object.ts";
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
    const found = await getObjectIfExists(this.#ref(this.objectKey(key)));
    return found ? toReadResult(key, found.body, found.etag) : { status: "missing" };
  }

  write(record: RollupRecord, ifMatch: string | null): Promise<string> {
    const ref = this.#ref(this.objectKey(record.key));
    return putObjectIfUnchanged(ref, encodeRollup(record), ifMatch, "re-read and merge");
  }

  #ref(key: string) {
    const { client, bucket, signal } = this.#opts;
    return { client, bucket, key, signal };
  }
}
