import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { RollupConflictError } from "../errors.ts";
import { encodeRollup, type RollupRecord } from "./codec.ts";
import { contentEtag } from "./memory-store.ts";
import {
  type RollupReadResult,
  type RollupStore,
  rollupObjectName,
  toReadResult,
} from "./store.ts";

const LOCK_STALE_MS = 30_000;

/**
 * `RollupStore` in a local directory (one file per SLO objective), for `slo invoke --local`
 * and tests. Writes are atomic (temp file + rename) and conditional: a per-key lock file
 * (`O_EXCL`) serialises the compare-and-swap between processes.
 *
 * @example
 * const store = new FileRollupStore(".slo/rollups");
 * const found = await store.read("user-service-availability/objective-1");
 */
export class FileRollupStore implements RollupStore {
  readonly name: string;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.name = `file:${dir}`;
  }

  async read(key: string): Promise<RollupReadResult> {
    let body: Uint8Array;
    try {
      body = await readFile(this.#file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
      throw err;
    }
    return toReadResult(key, body, contentEtag(body));
  }

  async write(record: RollupRecord, ifMatch: string | null): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const file = this.#file(record.key);
    const lock = `${file}.lock`;
    await acquireLock(lock);
    try {
      let currentEtag: string | null = null;
      try {
        currentEtag = contentEtag(await readFile(file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
      if (currentEtag !== ifMatch) {
        throw new RollupConflictError(
          `rollup file ${file} changed since it was read (expected ${ifMatch ?? "no file"}, found ${currentEtag ?? "no file"})`,
        );
      }
      const body = encodeRollup(record);
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, file);
      return contentEtag(body);
    } finally {
      await rm(lock, { force: true });
    }
  }

  #file(key: string): string {
    return path.join(this.dir, rollupObjectName(key));
  }
}

async function acquireLock(lock: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lock, "wx");
      await fh.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      // A crashed writer leaves its lock behind; take it over once it is clearly stale.
      const info = await stat(lock).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > LOCK_STALE_MS) {
        await rm(lock, { force: true });
        continue;
      }
      if (attempt > 200) {
        throw new RollupConflictError(
          `lock ${lock} is held by another process; wait for it or delete the file if no run is active`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
