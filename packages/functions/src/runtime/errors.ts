/**
 * Error classes of `@slo/functions`. Messages name the setting or resource at fault and
 * say what to change, so a cold-start failure in the Lambda console is self-explanatory.
 */

/**
 * The function's environment or SST links are missing or malformed. Thrown once, at
 * cold start, before any AWS call is made.
 *
 * @example
 * try { loadFunctionConfig("slo-calculator", process.env); }
 * catch (e) { if (e instanceof ConfigError) console.error(e.message); }
 */
export class ConfigError extends Error {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, options);
    this.name = "ConfigError";
  }
}

/** The stored alert-state object could not be read; it is reported and rebuilt, never trusted. */
export class AlertStateError extends Error {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, options);
    this.name = "AlertStateError";
  }
}

/** A message for logs and job results: the error's own text, never its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
