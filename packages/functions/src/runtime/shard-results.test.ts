import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { shardOptionsFromEnv } from "./aws/sharded.ts";
import { FunctionConfigError } from "./errors.ts";
import { S3ShardResults, ShardResultError, shardResultKey } from "./shard-results.ts";

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());
// The SDK's stream mixin: a GetObject body offers both readers.
const body = (text: string) => ({
  transformToString: async () => text,
  transformToByteArray: async () => new TextEncoder().encode(text),
});
const END = Date.UTC(2026, 10, 20, 12, 0);

describe("S3ShardResults", () => {
  const results = () => new S3ShardResults(new S3Client({ region: "us-east-1" }), "b");

  it("writes one JSON object per shard and step, under the expiring prefix", async () => {
    s3.on(PutObjectCommand).resolves({});
    await results().put({
      shard: "shard-1-of-4",
      endMs: END,
      reports: [],
      failed: [],
      objectives: [],
    });
    const [put] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(put?.Key).toBe(shardResultKey(END, "shard-1-of-4"));
    expect(put?.Key).toMatch(/^shard-results\/2026-11-20T12:00:00.000Z\//);
    expect(JSON.parse(String(put?.Body))).toMatchObject({ shard: "shard-1-of-4", endMs: END });
  });

  it("reads a shard that left nothing as undefined (the merge reports it missing)", async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error("no"), { name: "NoSuchKey" }));
    await expect(results().get(END, "shard-0-of-4")).resolves.toBeUndefined();
  });

  it("refuses an object that is not a shard outcome, naming its key", async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('{"shard":"x"}') } as never);
    await expect(results().get(END, "shard-0-of-4")).rejects.toThrow(ShardResultError);
    s3.on(GetObjectCommand).resolves({ Body: body("not json") } as never);
    await expect(results().get(END, "shard-0-of-4")).rejects.toThrow(/shard-0-of-4\.json/);
  });

  it("passes other S3 failures through", async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    await expect(results().get(END, "shard-0-of-4")).rejects.toThrow(/denied|AccessDenied/);
  });
});

describe("shardOptionsFromEnv", () => {
  it("defaults when unset and reads whole numbers", () => {
    expect(shardOptionsFromEnv({})).toEqual({ threshold: 500, targetSlosPerShard: 500 });
    expect(shardOptionsFromEnv({ SLO_SHARD_ABOVE: "0", SLO_SLOS_PER_SHARD: "250" })).toEqual({
      threshold: 0,
      targetSlosPerShard: 250,
    });
  });

  it("names the variable and the profile field on bad input", () => {
    expect(() => shardOptionsFromEnv({ SLO_SLOS_PER_SHARD: "0" })).toThrow(FunctionConfigError);
    expect(() => shardOptionsFromEnv({ SLO_SHARD_ABOVE: "1.5" })).toThrow(
      /SLO_SHARD_ABOVE="1.5".*jobs.shardAbove/,
    );
  });
});
