import type { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { EMPTY_ALERT_STATE } from "./alert-state.ts";
import {
  InMemoryAlertStateStore,
  ReadOnlyAlertStateStore,
  S3AlertStateStore,
} from "./alert-store.ts";
import { AlertStateError } from "./errors.ts";

interface Sent {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/** An S3 client double answering GetObject/PutObject from a script. */
function fakeS3(reply: (cmd: Sent) => unknown): { client: S3Client; sent: Sent[] } {
  const sent: Sent[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const cmd = { name: command.constructor.name, input: command.input };
      sent.push(cmd);
      const out = reply(cmd);
      if (out instanceof Error) throw out;
      return out;
    },
  } as unknown as S3Client;
  return { client, sent };
}

const body = (text: string) => ({ transformToString: async () => text });
const DOC = { version: 1, updatedAtMs: 5, alerts: {} };

describe("S3AlertStateStore", () => {
  it("starts empty when the object does not exist and creates it with If-None-Match", async () => {
    const missing = Object.assign(new Error("The specified key does not exist."), {
      name: "NoSuchKey",
    });
    const { client, sent } = fakeS3((c) =>
      c.name === "GetObjectCommand" ? missing : { ETag: '"1"' },
    );
    const store = new S3AlertStateStore(client, "bucket");
    const loaded = await store.load();
    expect(loaded).toEqual({ state: EMPTY_ALERT_STATE, version: undefined });
    await store.save(DOC as never, undefined);
    expect(sent[1]?.input).toMatchObject({
      Bucket: "bucket",
      Key: "alert-state/v1.json",
      IfNoneMatch: "*",
    });
    expect(JSON.parse(sent[1]?.input.Body as string)).toEqual(DOC);
  });

  it("writes back with If-Match on the ETag it read and reports a lost race", async () => {
    const conflict = Object.assign(
      new Error("At least one of the pre-conditions you specified did not hold"),
      {
        name: "PreconditionFailed",
        $metadata: { httpStatusCode: 412 },
      },
    );
    const { client, sent } = fakeS3((c) =>
      c.name === "GetObjectCommand" ? { Body: body(JSON.stringify(DOC)), ETag: '"abc"' } : conflict,
    );
    const store = new S3AlertStateStore(client, "bucket");
    const loaded = await store.load();
    expect(loaded).toEqual({ state: DOC, version: '"abc"' });
    await expect(store.save(DOC as never, loaded.version)).rejects.toThrow(AlertStateError);
    expect(sent[1]?.input.IfMatch).toBe('"abc"');
  });

  it("reports a corrupt object and rebuilds from empty instead of trusting it", async () => {
    const { client } = fakeS3(() => ({ Body: body("{not json"), ETag: '"x"' }));
    const loaded = await new S3AlertStateStore(client, "bucket").load();
    expect(loaded.state).toEqual(EMPTY_ALERT_STATE);
    expect(loaded.version).toBe('"x"');
    expect(loaded.problem).toMatch(/not a valid alert-state document/);
  });

  it("turns other S3 failures into AwsCallError naming the object", async () => {
    const slow = Object.assign(new Error("Please reduce your request rate."), {
      name: "SlowDown",
      $metadata: { attempts: 4 },
    });
    const { client } = fakeS3(() => slow);
    await expect(new S3AlertStateStore(client, "bucket").load()).rejects.toThrow(
      /GetObject s3:\/\/bucket\/alert-state\/v1.json failed: SlowDown.*4 attempts/,
    );
  });
});

describe("InMemoryAlertStateStore / ReadOnlyAlertStateStore", () => {
  it("enforces versions like S3 and never writes through a read-only view", async () => {
    const store = new InMemoryAlertStateStore();
    await store.save(DOC as never, undefined);
    await expect(store.save(DOC as never, undefined)).rejects.toThrow(AlertStateError);
    const loaded = await store.load();
    const readOnly = new ReadOnlyAlertStateStore(store);
    await readOnly.save();
    expect((await readOnly.load()).version).toBe(loaded.version);
  });
});
