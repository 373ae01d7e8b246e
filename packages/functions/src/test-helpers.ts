/**
 * Helpers shared by this package's tests (not part of any handler bundle).
 */
import path from "node:path";
import type { MetricPoint } from "@slo/aws";
import { EmfSink } from "@slo/aws";
import { vi } from "vitest";
import type { FunctionName } from "./runtime/config.ts";
import { parseEmfOutput } from "./runtime/emf.ts";
import type { JobResult } from "./runtime/job.ts";
import { fakeLambdaContext } from "./runtime/lambda-context.ts";
import { type LocalDepsOptions, localDeps } from "./runtime/local-deps.ts";

/** The repository root (the `slos/` folder lives there). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

/** Local deps whose sink is the real EMF sink writing to process.stdout, as in Lambda. */
export function emfDeps(name: FunctionName, opts: LocalDepsOptions = {}) {
  return localDeps(name, { cwd: REPO_ROOT, sink: new EmfSink(), ...opts });
}

export interface StdoutRun {
  readonly result?: JobResult;
  readonly error?: unknown;
  /** Raw stdout lines written during the run. */
  readonly lines: string[];
  /** Datapoints of every EMF line on stdout. */
  readonly points: MetricPoint[];
}

/** Invokes a handler with stdout captured (EMF and Powertools logs go there). */
export async function invokeCapturingStdout(
  handler: (event: unknown, context: ReturnType<typeof fakeLambdaContext>) => Promise<JobResult>,
  name: string,
  opts: { event?: unknown; timeoutMs?: number } = {},
): Promise<StdoutRun> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation(((
    chunk: string | Uint8Array,
  ) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write);
  let result: JobResult | undefined;
  let error: unknown;
  try {
    result = await handler(
      opts.event ?? {},
      fakeLambdaContext(name, { timeoutMs: opts.timeoutMs ?? 300_000 }),
    );
  } catch (e) {
    error = e;
  } finally {
    spy.mockRestore();
  }
  const text = chunks.join("");
  return {
    ...(result !== undefined ? { result } : {}),
    ...(error !== undefined ? { error } : {}),
    lines: text.split("\n").filter((l) => l.trim() !== ""),
    points: parseEmfOutput(text),
  };
}

/** Points of one metric, optionally filtered by dimension values. */
export function pointsOf(
  points: readonly MetricPoint[],
  name: string,
  dims: Readonly<Record<string, string>> = {},
): MetricPoint[] {
  return points.filter(
    (p) => p.name === name && Object.entries(dims).every(([k, v]) => p.dimensions[k] === v),
  );
}
