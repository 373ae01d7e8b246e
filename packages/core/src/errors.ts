/**
 * The one error model of the platform: every specific error class extends
 * {@link SloPlatformError} and says what KIND of failure it is, so the edges (the CLI's
 * exit code, the job runtime's log level and metrics) decide from `kind`, never from a
 * class list or a message.
 */

/**
 * - `usage`: the caller asked wrongly (a bad flag, a missing option); fix the command.
 * - `input`: a file or data the caller supplied is wrong (bad YAML, impossible counts).
 * - `aws`: a remote system (AWS, or a service the fleet runs) failed or refused.
 * - `internal`: a bug in this code; anything that is not a `SloPlatformError` is one too.
 */
export type ErrorKind = "usage" | "input" | "aws" | "internal";

/**
 * Base of every error this codebase throws on purpose.
 *
 * @example
 * export class CapacityError extends SloPlatformError {
 *   constructor(message: string, options?: ErrorOptions) {
 *     super(message, "input", options);
 *     this.name = "CapacityError";
 *   }
 * }
 */
export class SloPlatformError extends Error {
  readonly kind: ErrorKind;
  constructor(message: string, kind: ErrorKind, options?: ErrorOptions) {
    super(message, options);
    this.name = "SloPlatformError";
    this.kind = kind;
  }
}

/**
 * The kind of any thrown value: a `SloPlatformError`'s own, else `internal` (a
 * `TypeError` or a raw Node error that escaped is a bug: something should have named it).
 *
 * @example
 * const code = { usage: 2, input: 1, aws: 1, internal: 70 }[errorKind(error)];
 */
export function errorKind(error: unknown): ErrorKind {
  return error instanceof SloPlatformError ? error.kind : "internal";
}
