/**
 * Error classes of the operational procedures (`slo rollback`, `slo scaling`). Messages
 * name the service and say what to run instead, because they are read during an incident.
 */

import { SloPlatformError } from "@slo/core/errors";

/** A rollback cannot be planned or did not finish (no older revision, rollout failed...). */
export class RollbackError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "RollbackError";
  }
}

/** The rollback deployment did not reach COMPLETED within the wait; it keeps going in ECS. */
export class RollbackTimeoutError extends RollbackError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, options);
    this.name = "RollbackTimeoutError";
  }
}

/** A service's Application Auto Scaling target is missing or cannot be changed as asked. */
export class ScalingOpError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "ScalingOpError";
  }
}

/** A read of a deployed stage found something missing (a service, a cluster). */
export class StageReadError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "StageReadError";
  }
}

/** The deployed zero-trust posture could not be read (an API call failed or returned junk). */
export class PostureError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "PostureError";
  }
}

/** Application Signals answered a batch call with a per-SLO error (HTTP 200, `Errors` set). */
export class AppSignalsApplyError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "AppSignalsApplyError";
  }
}
