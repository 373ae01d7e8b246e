/**
 * Error classes of the operational procedures (`slo rollback`, `slo scaling`). Messages
 * name the service and say what to run instead, because they are read during an incident.
 */

/** A rollback cannot be planned or did not finish (no older revision, rollout failed...). */
export class RollbackError extends Error {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, options);
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
export class ScalingOpError extends Error {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, options);
    this.name = "ScalingOpError";
  }
}

/** The deployed zero-trust posture could not be read (an API call failed or returned junk). */
export class PostureError extends Error {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, options);
    this.name = "PostureError";
  }
}
