import { SloPlatformError } from "@slo/core/errors";

/** Where a command writes; tests pass a recorder, the binary passes the process streams. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars and colour only then). */
  readonly isTTY: boolean;
  readonly cwd: string;
}

/** A command module: `commands/<name>.ts` exports `run`. Returns the exit code. */
export interface CliCommand {
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad command-line usage; the CLI prints the message and exits 2. */
export class UsageError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "usage", options);
    this.name = "UsageError";
  }
}
