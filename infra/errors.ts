import { SloPlatformError } from "../packages/core/src/errors.ts";

/** A problem in the app's inputs (fleet, stage, SLO files, sources) found while composing it. */
export class InfraConfigError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "InfraConfigError";
  }
}
