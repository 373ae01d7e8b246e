/**
 * Error classes of `@slo/aws`. Each message names what failed and what to do about it,
 * so handlers can log `error.message` without a stack trace.
 */

import { SloPlatformError } from "@slo/core/errors";

/** A call to an AWS API failed after the SDK's own retries (or was not retryable). */
export class AwsCallError extends SloPlatformError {
  /** SDK error name (`Throttling`, `InternalFailure`, `TimeoutError`, ...). */
  readonly code: string;
  /** Attempts the SDK made, when it reported them. */
  readonly attempts: number | undefined;
  constructor(msg: string, code: string, attempts: number | undefined, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "AwsCallError";
    this.code = code;
    this.attempts = attempts;
  }
}

/** The run's time budget ran out; the work was abandoned before it could be half-done. */
export class BudgetExceededError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "BudgetExceededError";
  }
}

/** A query cannot be served by CloudWatch as asked (step finer than retained, bad alignment...). */
export class CloudWatchQueryError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "input", options);
    this.name = "CloudWatchQueryError";
  }
}

/** ECS / ELB discovery could not map a logical `Service` to CloudWatch dimensions. */
export class DiscoveryError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "DiscoveryError";
  }
}

/** A stored rollup object could not be decoded; it is reported and rebuilt, never trusted. */
export class RollupCorruptError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "RollupCorruptError";
  }
}

/** A conditional write lost a race: another run changed the rollup object first. */
export class RollupConflictError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "RollupConflictError";
  }
}

/** Metrics handed to a sink break a CloudWatch limit or are not publishable (NaN, duplicates). */
export class SinkValidationError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "internal", options);
    this.name = "SinkValidationError";
  }
}

/** Publishing stopped part-way; `published` datapoints went out before the failure. */
export class PublishError extends SloPlatformError {
  readonly published: number;
  constructor(msg: string, published: number, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "PublishError";
    this.published = published;
  }
}
