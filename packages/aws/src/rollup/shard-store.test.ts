import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { EMBEDDED_FLEET_END_MS, EmbeddedMetricsSource } from "@slo/core/embedded";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { loadFleetSlos } from "../../../core/testing/fleet-slos.ts";
import { RollupConflictError } from "../errors.ts";
import { MemoryRollupStore } from "./memory-store.ts";
import { S3ShardObjectStore } from "./s3-shard-store.ts";
import { MemoryShardObjectStore, ShardRollupStore, shardObjectName } from "./shard-store.ts";
import { updateSloRollups } from "./slo-rollups.ts";

const defs = (await loadFleetSlos()).slice(0, 8);
const source = new EmbeddedMetricsSource();
const STEP = 300_000;

async function shardRun(objects: MemoryShardObjectStore, nowMs: number) {
  const store = await ShardRollupStore.open(objects, "shard-0-of-1");
  const run = await updateSloRollups({ defs, source, store, nowMs });
  const flushed = await store.flush();
  return { run, store, flushed };
}

describe("ShardRollupStore", () => {
  it("gives updateRollups the same counts as one object per SLO, in one GET and one PUT", async () => {
    const objects = new MemoryShardObjectStore();
    const perSlo = new MemoryRollupStore();
    for (const nowMs of [EMBEDDED_FLEET_END_MS - STEP, EMBEDDED_FLEET_END_MS]) {
      const before = { ...objects.stats };
      const { run } = await shardRun(objects, nowMs);
      const single = await updateSloRollups({ defs, source, store: perSlo, nowMs });
      expect(objects.stats.gets - before.gets).toBe(1);
      expect(objects.stats.puts - before.puts).toBe(1);
      for (const d of defs) {
        const a = run.slos.get(d.name);
        const b = single.slos.get(d.name);
        expect(a?.complete).toBe(true);
        expect(a?.counts).toEqual(b?.counts);
        expect(a?.objectives.map((o) => o.outcome)).toEqual(b?.objectives.map((o) => o.outcome));
      }
    }
    expect(perSlo.stats.writes).toBe(2 * defs.length);
  });

  it("rebuilds every SLO of a corrupt shard object from the source", async () => {
    const objects = new MemoryShardObjectStore();
    await shardRun(objects, EMBEDDED_FLEET_END_MS - STEP);
    const obj = objects.objects.get(shardObjectName("shard-0-of-1"));
    if (!obj) throw new Error("no shard object");
    obj.body[20] = (obj.body[20] as number) ^ 0xff;
    const { run } = await shardRun(objects, EMBEDDED_FLEET_END_MS);
    for (const s of run.slos.values()) {
      expect(s.complete).toBe(true);
      expect(s.objectives.every((o) => o.outcome === "rebuilt")).toBe(true);
      expect(s.objectives[0]?.messages.join(" ")).toMatch(/corrupt/);
    }
    const again = await shardRun(objects, EMBEDDED_FLEET_END_MS);
    expect([...again.run.slos.values()].every((s) => s.objectives[0]?.outcome === "current")).toBe(
      true,
    );
  });

  it("loses a race with a conflict, never a silent overwrite", async () => {
    const objects = new MemoryShardObjectStore();
    const a = await ShardRollupStore.open(objects, "shard-0-of-1");
    const b = await ShardRollupStore.open(objects, "shard-0-of-1");
    await updateSloRollups({ defs, source, store: a, nowMs: EMBEDDED_FLEET_END_MS });
    await updateSloRollups({ defs, source, store: b, nowMs: EMBEDDED_FLEET_END_MS });
    await a.flush();
    await expect(b.flush()).rejects.toThrow(RollupConflictError);
    expect(objects.stats.conflicts).toBe(1);
  });
});

describe("S3ShardObjectStore", () => {
  it("reads a missing shard as absent and writes with If-None-Match, then If-Match", async () => {
    const s3 = mockClient(S3Client);
    try {
      s3.on(GetObjectCommand).rejects(Object.assign(new Error("nope"), { name: "NoSuchKey" }));
      s3.on(PutObjectCommand).resolves({ ETag: '"e1"' });
      const objects = new S3ShardObjectStore({
        client: new S3Client({ region: "us-east-1" }),
        bucket: "b",
      });
      await expect(objects.get("shard-0-of-1.shard")).resolves.toBeUndefined();
      await objects.put("shard-0-of-1.shard", new Uint8Array(4), null);
      await objects.put("shard-0-of-1.shard", new Uint8Array(4), '"e1"');
      const [create, replace] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
      expect(create).toMatchObject({ Key: "rollup-shards/shard-0-of-1.shard", IfNoneMatch: "*" });
      expect(replace).toMatchObject({ IfMatch: '"e1"' });
      expect(replace?.IfNoneMatch).toBeUndefined();
    } finally {
      s3.restore();
    }
  });
});
