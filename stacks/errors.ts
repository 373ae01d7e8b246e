import { SloPlatformError } from "../packages/core/src/errors.ts";

/** A stage profile or the fleet declares something that cannot be deployed. */
export class StageConfigError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "StageConfigError";
  }
}

/** A stage setting from the environment that cannot be used (names the variable and the fix). */
export class StageEnvError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "usage", options);
    this.name = "StageEnvError";
  }
}
