import { RollupCorruptError } from "../errors.ts";
import { decodeRollup, type RollupRecord } from "./codec.ts";

/** What reading one rollup object found. A corrupt object still has an ETag to overwrite. */
export type RollupReadResult =
  | { readonly status: "found"; readonly record: RollupRecord; readonly etag: string }
  | { readonly status: "corrupt"; readonly reason: string; readonly etag: string }
  | { readonly status: "missing" };

/**
 * Persistence of rollup records with optimistic concurrency: every write names the ETag
 * it read (or `null` for "must not exist yet") and fails with `RollupConflictError` when
 * another run wrote in between, so overlapping runs cannot silently lose each other's data.
 */
export interface RollupStore {
  readonly name: string;
  read(key: string): Promise<RollupReadResult>;
  /** Writes and returns the new ETag; `RollupConflictError` when `ifMatch` is stale. */
  write(record: RollupRecord, ifMatch: string | null): Promise<string>;
}

/** Object name of a key: stable, filesystem- and S3-safe. */
export function rollupObjectName(key: string): string {
  return `${encodeURIComponent(key)}.rollup`;
}

/** Decodes raw bytes into a read result (`corrupt` instead of throwing). */
export function toReadResult(key: string, body: Uint8Array, etag: string): RollupReadResult {
  try {
    return { status: "found", record: decodeRollup(body, key), etag };
  } catch (err) {
    if (err instanceof RollupCorruptError) return { status: "corrupt", reason: err.message, etag };
    throw err;
  }
}
