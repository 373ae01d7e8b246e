import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RollupConflictError } from "../errors.ts";
import { encodeRollup, type RollupRecord } from "./codec.ts";
import { FileRollupStore } from "./file-store.ts";
import { S3RollupStore } from "./s3-store.ts";

const REC: RollupRecord = {
  key: "order-service-error-rate/error-rate",
  fingerprint: "fp",
  startMs: 0,
  stepMs: 300_000,
  watermarkMs: 600_000,
  good: Float64Array.of(99, Number.NaN),
  total: Float64Array.of(100, Number.NaN),
};

describe("S3RollupStore", () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  const store = () =>
    new S3RollupStore({ client: new S3Client({ region: "eu-west-1" }), bucket: "b", prefix: "r/" });

  it("creates with If-None-Match and replaces with If-Match", async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e2"' });
    await expect(store().write(REC, null)).resolves.toBe('"e2"');
    await store().write(REC, '"e2"');
    const [create, replace] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(create).toMatchObject({
      Bucket: "b",
      Key: "r/order-service-error-rate%2Ferror-rate.rollup",
      IfNoneMatch: "*",
    });
    expect(create?.IfMatch).toBeUndefined();
    expect(replace).toMatchObject({ IfMatch: '"e2"' });
    expect(replace?.IfNoneMatch).toBeUndefined();
  });

  it("turns 412 PreconditionFailed into RollupConflictError", async () => {
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error("At least one of the pre-conditions you specified did not hold"), {
        name: "PreconditionFailed",
        $metadata: { httpStatusCode: 412 },
      }),
    );
    await expect(store().write(REC, '"old"')).rejects.toBeInstanceOf(RollupConflictError);
  });

  it("reads found, missing and corrupt objects", async () => {
    const body = encodeRollup(REC);
    s3.on(GetObjectCommand)
      .resolvesOnce({ ETag: '"e1"', Body: { transformToByteArray: async () => body } as never })
      .rejectsOnce(Object.assign(new Error("no such key"), { name: "NoSuchKey" }))
      .resolvesOnce({
        ETag: '"e3"',
        Body: { transformToByteArray: async () => body.subarray(0, 20) } as never,
      });
    const found = await store().read(REC.key);
    expect(found.status === "found" && found.record).toEqual(REC);
    await expect(store().read(REC.key)).resolves.toEqual({ status: "missing" });
    await expect(store().read(REC.key)).resolves.toMatchObject({ status: "corrupt", etag: '"e3"' });
  });
});

describe("FileRollupStore", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "slo-rollup-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes atomically with compare-and-swap on the content etag", async () => {
    const store = new FileRollupStore(dir);
    await expect(store.read(REC.key)).resolves.toEqual({ status: "missing" });
    const e1 = await store.write(REC, null);
    await expect(store.write(REC, null)).rejects.toThrow(RollupConflictError);
    const e2 = await store.write({ ...REC, watermarkMs: 300_000 }, e1);
    await expect(store.write(REC, e1)).rejects.toThrow(/changed since it was read/);
    const read = await store.read(REC.key);
    expect(read).toMatchObject({ status: "found", etag: e2 });
    expect(await readdir(dir)).toEqual(["order-service-error-rate%2Ferror-rate.rollup"]);
  });

  it("reports a damaged file as corrupt", async () => {
    const store = new FileRollupStore(dir);
    await writeFile(path.join(dir, "order-service-error-rate%2Ferror-rate.rollup"), "garbage");
    await expect(store.read(REC.key)).resolves.toMatchObject({ status: "corrupt" });
  });

  it("lets exactly one of two concurrent writers with the same etag win", async () => {
    const store = new FileRollupStore(dir);
    const e1 = await store.write(REC, null);
    const results = await Promise.allSettled([
      store.write({ ...REC, watermarkMs: 300_000 }, e1),
      store.write({ ...REC, watermarkMs: 0 }, e1),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
  });
});
