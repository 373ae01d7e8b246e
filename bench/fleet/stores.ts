/** File-backed shard stores shared by the benchmark's shard processes. */
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  MemoryRollupStore,
  RollupConflictError,
  type ShardObjectStore,
} from "../../packages/aws/src/index.ts";
import { contentEtag } from "../../packages/aws/src/rollup/memory-store.ts";
import {
  type ShardAlertOutcome,
  type ShardResultStore,
  shardResultKey,
} from "../../packages/functions/src/runtime/shard-results.ts";

export class FileShardObjectStore implements ShardObjectStore {
  readonly name: string;
  readonly stats = { gets: 0, puts: 0, bytesWritten: 0 };
  readonly #dir: string;
  constructor(dir: string) {
    this.#dir = dir;
    this.name = `file://${dir}`;
  }
  async get(name: string) {
    this.stats.gets++;
    try {
      const body = new Uint8Array(await readFile(path.join(this.#dir, name)));
      return { body, etag: contentEtag(body) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }
  async put(name: string, body: Uint8Array, ifMatch: string | null): Promise<string> {
    const current = await this.get(name);
    this.stats.gets--;
    if ((current?.etag ?? null) !== ifMatch) {
      throw new RollupConflictError(`${name} changed since it was read`);
    }
    const file = path.join(this.#dir, name);
    await writeFile(`${file}.tmp`, body);
    await rename(`${file}.tmp`, file);
    this.stats.puts++;
    this.stats.bytesWritten += body.length;
    return contentEtag(body);
  }
}

export class FileShardResults implements ShardResultStore {
  readonly #dir: string;
  constructor(dir: string) {
    this.#dir = dir;
  }
  #file(endMs: number, shard: string) {
    return path.join(this.#dir, encodeURIComponent(shardResultKey(endMs, shard)));
  }
  async put(outcome: ShardAlertOutcome): Promise<void> {
    await writeFile(this.#file(outcome.endMs, outcome.shard), JSON.stringify(outcome));
  }
  async get(endMs: number, shard: string) {
    try {
      return JSON.parse(await readFile(this.#file(endMs, shard), "utf8")) as ShardAlertOutcome;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }
}

/** Shards never read the per-SLO store; it only satisfies the deps type. */
export const UNUSED_ROLLUPS = new MemoryRollupStore();
