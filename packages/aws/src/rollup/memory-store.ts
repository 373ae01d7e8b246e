import { createHash } from "node:crypto";
import { RollupConflictError } from "../errors.ts";
import { encodeRollup, type RollupRecord } from "./codec.ts";
import { type RollupReadResult, type RollupStore, toReadResult } from "./store.ts";

/** Content hash used as ETag by the local stores (S3 uses its own). */
export function contentEtag(body: Uint8Array): string {
  return `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
}

/**
 * In-memory `RollupStore` with the same conditional-write semantics as S3: for tests and
 * local runs. `objects` holds the encoded bytes, so tests can inspect or damage them.
 *
 * @example
 * const store = new MemoryRollupStore();
 * const etag = await store.write(record, null);
 * await store.write(record, etag); // ok; a second write with the old etag would conflict
 */
export class MemoryRollupStore implements RollupStore {
  readonly name = "memory";
  readonly objects = new Map<string, { body: Uint8Array; etag: string }>();
  /** Counters for tests and benchmarks. */
  readonly stats = { reads: 0, writes: 0, conflicts: 0 };

  async read(key: string): Promise<RollupReadResult> {
    this.stats.reads++;
    const obj = this.objects.get(key);
    if (!obj) return { status: "missing" };
    return toReadResult(key, obj.body, obj.etag);
  }

  async write(record: RollupRecord, ifMatch: string | null): Promise<string> {
    const current = this.objects.get(record.key);
    if ((current?.etag ?? null) !== ifMatch) {
      this.stats.conflicts++;
      throw new RollupConflictError(
        `rollup "${record.key}" changed since it was read (expected ${ifMatch ?? "no object"}, found ${current?.etag ?? "no object"})`,
      );
    }
    const body = encodeRollup(record);
    const etag = contentEtag(body);
    this.objects.set(record.key, { body, etag });
    this.stats.writes++;
    return etag;
  }
}
