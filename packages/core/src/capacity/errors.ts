import { SloPlatformError } from "../errors.ts";

/** Thrown for capacity inputs that cannot give a plan; the message names the field. */
export class CapacityError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "CapacityError";
  }
}
