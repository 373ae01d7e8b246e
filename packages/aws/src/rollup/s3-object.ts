import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { callAws } from "../budget.ts";
import { AwsCallError, RollupConflictError } from "../errors.ts";

/** Where an object lives, and the abort signal of the run reading or writing it. */
export interface S3ObjectRef {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Reads an object's bytes and ETag, or `undefined` when there is none yet (S3 answers a
 * missing key with `NoSuchKey`, or `NotFound` to a role that may list the bucket).
 *
 * @example
 * const found = await getObjectIfExists({ client, bucket, key: "rollup-shards/shard-0-of-4" });
 */
export async function getObjectIfExists(
  ref: S3ObjectRef,
): Promise<{ body: Uint8Array; etag: string } | undefined> {
  const { client, bucket, key, signal } = ref;
  try {
    const out = await callAws(
      "s3:GetObject",
      () =>
        client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }),
      signal,
    );
    return {
      body: (await out.Body?.transformToByteArray()) ?? new Uint8Array(),
      etag: out.ETag ?? "",
    };
  } catch (err) {
    if (err instanceof AwsCallError && (err.code === "NoSuchKey" || err.code === "NotFound")) {
      return undefined;
    }
    throw err;
  }
}

/**
 * Writes an object unconditionally (a JSON hand-off or report that each run replaces
 * whole), through the same retrying, abortable call as every other S3 write.
 *
 * @example
 * await putObject({ client, bucket, key: "reports/stage.json", signal }, JSON.stringify(report), "application/json");
 */
export async function putObject(
  ref: S3ObjectRef,
  body: string | Uint8Array,
  contentType: string,
): Promise<void> {
  const { client, bucket, key, signal } = ref;
  await callAws(
    "s3:PutObject",
    () =>
      client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
        { abortSignal: signal },
      ),
    signal,
  );
}

/**
 * Writes an object only if it is still the version that was read: `If-Match: <etag>` to
 * replace, `If-None-Match: *` to create (`ifMatch` null), so two overlapping runs cannot
 * overwrite each other's counts. Returns the new ETag.
 *
 * @throws RollupConflictError when the object changed since it was read (`then` says
 *   what the caller does about it).
 * @example
 * const etag = await putObjectIfUnchanged({ client, bucket, key }, body, found?.etag ?? null, "re-read and merge");
 */
export async function putObjectIfUnchanged(
  ref: S3ObjectRef,
  body: Uint8Array,
  ifMatch: string | null,
  then: string,
): Promise<string> {
  const { client, bucket, key, signal } = ref;
  try {
    const out = await callAws(
      "s3:PutObject",
      () =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: "application/octet-stream",
            ...(ifMatch === null ? { IfNoneMatch: "*" } : { IfMatch: ifMatch }),
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    return out.ETag ?? "";
  } catch (err) {
    if (
      err instanceof AwsCallError &&
      (err.code === "PreconditionFailed" || err.code === "ConditionalRequestConflict")
    ) {
      throw new RollupConflictError(
        `s3://${bucket}/${key} changed since it was read (${err.code}); ${then}`,
        { cause: err },
      );
    }
    throw err;
  }
}
