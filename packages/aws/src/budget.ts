import { AwsCallError, BudgetExceededError } from "./errors.ts";

/** A deadline for one scheduled run, shared by every AWS call the run makes. */
export interface RunBudget {
  /** Aborts when the budget is spent; pass it to every SDK `send`. */
  readonly signal: AbortSignal;
  readonly deadlineMs: number;
  remainingMs(): number;
  /** Throws `BudgetExceededError` naming `what` when less than `needMs` remains. */
  ensure(what: string, needMs?: number): void;
  /** Stops the timer (call when the run ends early). */
  dispose(): void;
}

/**
 * Creates a run budget of `totalMs` minus `reserveMs`: the reserve is the time kept back
 * so a Lambda can still log and return its result instead of being killed mid-publish.
 *
 * @example
 * // In a handler: keep 5 s for logging and the response.
 * const budget = createRunBudget(context.getRemainingTimeInMillis(), 5_000);
 * await source.fetch(queries, range); // source built with { signal: budget.signal }
 */
export function createRunBudget(
  totalMs: number,
  reserveMs = 0,
  now: () => number = Date.now,
): RunBudget {
  const usable = Math.max(0, totalMs - reserveMs);
  const controller = new AbortController();
  const deadlineMs = now() + usable;
  const timer = setTimeout(() => {
    controller.abort(
      new BudgetExceededError(
        `run budget of ${usable} ms is spent; the remaining work was skipped`,
      ),
    );
  }, usable);
  // Never keep a process alive only for the budget timer.
  timer.unref?.();
  return {
    signal: controller.signal,
    deadlineMs,
    remainingMs: () => Math.max(0, deadlineMs - now()),
    ensure(what: string, needMs = 0) {
      const left = deadlineMs - now();
      if (controller.signal.aborted || left < needMs) {
        throw new BudgetExceededError(
          `not enough run budget left for ${what} (${Math.max(0, left)} ms left, ${needMs} ms needed); raise the function timeout or lower the work per run`,
        );
      }
    },
    dispose: () => clearTimeout(timer),
  };
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  $metadata?: { attempts?: number; httpStatusCode?: number };
}

/**
 * Runs one SDK call and turns its failure into an `AwsCallError` (or `BudgetExceededError`
 * when the run's signal aborted it) whose message names the operation, the error code and
 * the attempts made.
 */
export async function callAws<T>(
  operation: string,
  send: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) throw budgetError(operation, signal);
  try {
    return await send();
  } catch (err) {
    if (signal?.aborted) throw budgetError(operation, signal, err);
    const e = (err ?? {}) as SdkErrorShape;
    const code = e.name ?? "Error";
    const attempts = e.$metadata?.attempts;
    const status = e.$metadata?.httpStatusCode;
    const detail = [
      status !== undefined ? `HTTP ${status}` : undefined,
      attempts !== undefined ? `${attempts} attempt${attempts === 1 ? "" : "s"}` : undefined,
    ]
      .filter(Boolean)
      .join(", ");
    throw new AwsCallError(
      `${operation} failed: ${code}: ${e.message ?? String(err)}${detail ? ` (${detail})` : ""}`,
      code,
      attempts,
      { cause: err },
    );
  }
}

function budgetError(operation: string, signal: AbortSignal, cause?: unknown): Error {
  const reason = signal.reason;
  if (reason instanceof BudgetExceededError) {
    return new BudgetExceededError(`${operation} abandoned: ${reason.message}`, { cause });
  }
  return new BudgetExceededError(`${operation} abandoned: the run was aborted`, { cause });
}
