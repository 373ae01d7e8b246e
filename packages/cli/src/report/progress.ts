import type { CliIo } from "../io.ts";

/**
 * A progress bar on stderr that appears only when the work has already taken more than
 * `delayMs` and stderr is a terminal, so fast runs and pipes stay clean.
 */
export class ProgressBar {
  readonly #io: CliIo;
  readonly #label: string;
  readonly #startedAt = performance.now();
  readonly #delayMs: number;
  #shown = false;
  #lastDraw = 0;

  constructor(io: CliIo, label: string, delayMs = 400) {
    this.#io = io;
    this.#label = label;
    this.#delayMs = delayMs;
  }

  update(done: number, total: number): void {
    if (!this.#io.isTTY) return;
    const now = performance.now();
    if (now - this.#startedAt < this.#delayMs) return;
    if (this.#shown && now - this.#lastDraw < 50 && done < total) return;
    this.#shown = true;
    this.#lastDraw = now;
    const width = 30;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    this.#io.stderr(`\r${this.#label} ${bar} ${done}/${total}`);
  }

  finish(): void {
    if (this.#shown) this.#io.stderr("\r\x1b[2K");
  }
}
