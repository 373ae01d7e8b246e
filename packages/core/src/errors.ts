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

const FS_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory (or a symlink to one that is gone)",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EEXIST: "already exists",
  ELOOP: "too many symbolic links (a symlink loop)",
  ENAMETOOLONG: "the path is too long",
  EMFILE: "too many open files",
  ENOSPC: "no space left on the device",
  EROFS: "read-only file system",
  EBUSY: "the file is busy",
  EINVAL: "not a readable file (invalid argument)",
};

/**
 * One line for a Node file-system error (`EISDIR` and friends), without the path (the
 * caller names it); `undefined` for anything that is not one.
 *
 * @example
 * fileSystemProblem(Object.assign(new Error("x"), { code: "EISDIR" })); // "is a directory, not a file"
 */
export function fileSystemProblem(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) return undefined;
  return `${FS_PROBLEMS[code] ?? "cannot be accessed"} (${code})`;
}

/**
 * A file the caller named cannot be read or written: one line naming the path.
 *
 * @example
 * throw new FileAccessError("report.html", error); // "report.html: is a directory, not a file (EISDIR)"
 */
export class FileAccessError extends SloPlatformError {
  readonly path: string;
  constructor(path: string, error: unknown, fix?: string) {
    super(
      `${path}: ${fileSystemProblem(error) ?? String((error as Error)?.message ?? error)}${fix ? `; ${fix}` : ""}`,
      "input",
      { cause: error },
    );
    this.name = "FileAccessError";
    this.path = path;
  }
}
