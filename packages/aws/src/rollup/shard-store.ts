import { RollupConflictError, RollupCorruptError } from "../errors.ts";
import type { RollupRecord } from "./codec.ts";
import { contentEtag } from "./memory-store.ts";
import { decodeShardRollups, encodeShardRollups } from "./shard-codec.ts";
import type { RollupReadResult, RollupStore } from "./store.ts";

/** Where shard objects live: one object per shard, written with a conditional PUT. */
export interface ShardObjectStore {
  readonly name: string;
  /** One GET; `undefined` when the object does not exist. */
  get(name: string): Promise<{ readonly body: Uint8Array; readonly etag: string } | undefined>;
  /** Writes when the object's ETag is still `ifMatch` (`null`: must not exist); new ETag. */
  put(name: string, body: Uint8Array, ifMatch: string | null): Promise<string>;
}

/** Object name of a shard's rollups. */
export function shardObjectName(shardId: string): string {
  return `${encodeURIComponent(shardId)}.shard`;
}

/**
 * A `RollupStore` over ONE object per shard, so `updateRollups` runs unchanged: `open`
 * reads the object once, `read`/`write` work on the decoded records in memory (with
 * per-record versions, so `updateRollups`' conflict handling still holds within the run),
 * and `flush` writes the whole shard back with one conditional PUT. Records the run never
 * touched are dropped on flush (an SLO that moved to another shard or was deleted).
 * A corrupt object reads as `corrupt` for every key, so each is rebuilt from CloudWatch.
 *
 * @example
 * const store = await ShardRollupStore.open(objects, "shard-3-of-16");
 * await updateRollups({ store, specs, fetch, nowMs });
 * await store.flush();
 */
export class ShardRollupStore implements RollupStore {
  readonly name: string;
  readonly stats = { gets: 0, puts: 0, bytesRead: 0, bytesWritten: 0 };
  readonly #objects: ShardObjectStore;
  readonly #object: string;
  readonly #records = new Map<string, { record: RollupRecord; version: number }>();
  readonly #touched = new Set<string>();
  #objectEtag: string | null;
  #corrupt: string | undefined;
  #dirty = false;
  #version = 0;

  private constructor(objects: ShardObjectStore, object: string, etag: string | null) {
    this.#objects = objects;
    this.#object = object;
    this.#objectEtag = etag;
    this.name = `${objects.name}/${object}`;
  }

  /** Reads the shard's object (one GET). */
  static async open(objects: ShardObjectStore, shardId: string): Promise<ShardRollupStore> {
    const object = shardObjectName(shardId);
    const got = await objects.get(object);
    const store = new ShardRollupStore(objects, object, got?.etag ?? null);
    store.stats.gets = 1;
    if (!got) return store;
    store.stats.bytesRead = got.body.length;
    try {
      for (const [key, record] of decodeShardRollups(got.body, shardId)) {
        store.#records.set(key, { record, version: store.#version++ });
      }
    } catch (err) {
      if (!(err instanceof RollupCorruptError)) throw err;
      store.#corrupt = err.message;
    }
    return store;
  }

  async read(key: string): Promise<RollupReadResult> {
    this.#touched.add(key);
    if (this.#corrupt !== undefined) return { status: "corrupt", reason: this.#corrupt, etag: "" };
    const held = this.#records.get(key);
    if (!held) return { status: "missing" };
    return { status: "found", record: held.record, etag: `v${held.version}` };
  }

  async write(record: RollupRecord, ifMatch: string | null): Promise<string> {
    this.#touched.add(record.key);
    const held = this.#records.get(record.key);
    const current = held && this.#corrupt === undefined ? `v${held.version}` : null;
    if (this.#corrupt !== undefined ? ifMatch !== "" && ifMatch !== null : current !== ifMatch) {
      throw new RollupConflictError(
        `rollup "${record.key}" in ${this.name} changed since it was read (expected ${ifMatch ?? "no record"}, found ${current ?? "no record"})`,
      );
    }
    const version = this.#version++;
    this.#records.set(record.key, { record, version });
    this.#dirty = true;
    return `v${version}`;
  }

  /**
   * Writes the shard back in one conditional PUT when anything changed. A lost race
   * throws `RollupConflictError`: this run's counts are still right, and the next run
   * re-reads from the stored watermark, so nothing is lost or counted twice.
   */
  async flush(): Promise<{ readonly written: boolean; readonly bytes: number }> {
    if (!this.#dirty) return { written: false, bytes: 0 };
    const keep = [...this.#records.entries()]
      .filter(([k]) => this.#touched.has(k))
      .map(([, v]) => v.record);
    const body = encodeShardRollups(keep);
    this.#objectEtag = await this.#objects.put(this.#object, body, this.#objectEtag);
    this.#dirty = false;
    this.#corrupt = undefined;
    this.stats.puts++;
    this.stats.bytesWritten += body.length;
    return { written: true, bytes: body.length };
  }
}

/**
 * In-memory `ShardObjectStore` with S3's conditional-write semantics (tests, local runs,
 * benchmarks). `objects` holds the bytes so tests can damage them.
 *
 * @example
 * const objects = new MemoryShardObjectStore();
 * const store = await ShardRollupStore.open(objects, "shard-0-of-1");
 */
export class MemoryShardObjectStore implements ShardObjectStore {
  readonly name = "memory";
  readonly objects = new Map<string, { body: Uint8Array; etag: string }>();
  readonly stats = { gets: 0, puts: 0, conflicts: 0 };

  async get(name: string) {
    this.stats.gets++;
    return this.objects.get(name);
  }

  async put(name: string, body: Uint8Array, ifMatch: string | null): Promise<string> {
    const current = this.objects.get(name)?.etag ?? null;
    if (current !== ifMatch) {
      this.stats.conflicts++;
      throw new RollupConflictError(
        `shard object "${name}" changed since it was read (expected ${ifMatch ?? "no object"}, found ${current ?? "no object"})`,
      );
    }
    const etag = contentEtag(body);
    this.objects.set(name, { body: body.slice(), etag });
    this.stats.puts++;
    return etag;
  }
}
