import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { callAws } from "@slo/aws";
import { type AlertStateDocument, EMPTY_ALERT_STATE, isAlertStateDocument } from "./alert-state.ts";
import { AlertStateError } from "./errors.ts";

/** A loaded state plus the version token a conditional save must match. */
export interface LoadedAlertState {
  readonly state: AlertStateDocument;
  /** Opaque version (S3 ETag); `undefined` when nothing is stored yet. */
  readonly version: string | undefined;
  /** Set when a stored object was unreadable and an empty state is used instead. */
  readonly problem?: string;
}

/**
 * Where the burn-rate evaluator keeps what it last notified. `save` is conditional on
 * `version` so two overlapping runs cannot both page for the same change.
 */
export interface AlertStateStore {
  load(signal?: AbortSignal): Promise<LoadedAlertState>;
  save(state: AlertStateDocument, version: string | undefined, signal?: AbortSignal): Promise<void>;
}

/**
 * In-process store for tests and `slo invoke --local`: state survives between
 * invocations of the same handler, like the S3 object does between Lambda runs.
 *
 * @example
 * const store = new InMemoryAlertStateStore();
 * await store.save({ version: 1, updatedAtMs: 1, alerts: {} }, undefined);
 */
export class InMemoryAlertStateStore implements AlertStateStore {
  #state: AlertStateDocument | undefined;
  #version = 0;

  async load(): Promise<LoadedAlertState> {
    if (this.#state === undefined) return { state: EMPTY_ALERT_STATE, version: undefined };
    return { state: structuredClone(this.#state), version: String(this.#version) };
  }

  async save(state: AlertStateDocument, version: string | undefined): Promise<void> {
    const current = this.#state === undefined ? undefined : String(this.#version);
    if (current !== version) {
      throw new AlertStateError(
        `alert state changed since it was read (version ${version ?? "none"}, now ${current ?? "none"}): another run saved first; this run's changes are retried next run`,
      );
    }
    this.#state = structuredClone(state);
    this.#version++;
  }
}

/**
 * Alert state as one JSON object in the rollup bucket. Writes use `If-Match` (or
 * `If-None-Match: *` for the first one) so a concurrent run loses cleanly instead of
 * overwriting; an unreadable object is reported and replaced.
 *
 * @example
 * const store = new S3AlertStateStore(createS3Client(), "prod-rollup", "alert-state/v1.json");
 */
export class S3AlertStateStore implements AlertStateStore {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #key: string;

  constructor(s3: S3Client, bucket: string, key = "alert-state/v1.json") {
    this.#s3 = s3;
    this.#bucket = bucket;
    this.#key = key;
  }

  async load(signal?: AbortSignal): Promise<LoadedAlertState> {
    const where = `s3://${this.#bucket}/${this.#key}`;
    let body: string;
    let etag: string | undefined;
    try {
      const res = await this.#s3.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key }),
        { abortSignal: signal },
      );
      body = (await res.Body?.transformToString("utf8")) ?? "";
      etag = res.ETag;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") {
        return { state: EMPTY_ALERT_STATE, version: undefined };
      }
      return callAws(`GetObject ${where}`, () => Promise.reject(error));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    if (!isAlertStateDocument(parsed)) {
      return {
        state: EMPTY_ALERT_STATE,
        version: etag,
        problem: `${where} is not a valid alert-state document; it is rebuilt from this run (alerts still firing are notified again)`,
      };
    }
    return { state: parsed, version: etag };
  }

  async save(
    state: AlertStateDocument,
    version: string | undefined,
    signal?: AbortSignal,
  ): Promise<void> {
    const where = `s3://${this.#bucket}/${this.#key}`;
    try {
      await this.#s3.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: this.#key,
          Body: JSON.stringify(state),
          ContentType: "application/json",
          ...(version === undefined ? { IfNoneMatch: "*" } : { IfMatch: version }),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      if (status === 412 || status === 409) {
        throw new AlertStateError(
          `${where} changed since this run read it: another run saved first; this run's alert changes are retried next run`,
          { cause: error },
        );
      }
      await callAws(`PutObject ${where}`, () => Promise.reject(error));
    }
  }
}

/**
 * Reads through to another store and ignores saves: `slo invoke --aws --dry-run` sees
 * the real alert state without changing it (a dry run must not swallow a real page).
 *
 * @example
 * const store = new ReadOnlyAlertStateStore(new S3AlertStateStore(s3, bucket));
 */
export class ReadOnlyAlertStateStore implements AlertStateStore {
  readonly #inner: AlertStateStore;
  constructor(inner: AlertStateStore) {
    this.#inner = inner;
  }
  load(signal?: AbortSignal): Promise<LoadedAlertState> {
    return this.#inner.load(signal);
  }
  async save(): Promise<void> {}
}
