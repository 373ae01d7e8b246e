/**
 * Error classes of `@slo/functions`. Messages name the setting or resource at fault and
 * say what to change, so a cold-start failure in the Lambda console is self-explanatory.
 */

import { SloPlatformError } from "@slo/core/errors";

/**
 * The function's environment or SST links are missing or malformed. Thrown once, at
 * cold start, before any AWS call is made.
 *
 * @example
 * try { loadFunctionConfig("slo-calculator", process.env); }
 * catch (e) { if (e instanceof FunctionConfigError) console.error(e.message); }
 */
export class FunctionConfigError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "input", options);
    this.name = "FunctionConfigError";
  }
}

/** The stored alert-state object could not be read; it is reported and rebuilt, never trusted. */
export class AlertStateError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "AlertStateError";
  }
}

/** A message for logs and job results: the error's own text, never its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
