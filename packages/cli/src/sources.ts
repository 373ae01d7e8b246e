import path from "node:path";
import { EMBEDDED_FLEET_END_MS, EmbeddedMetricsSource } from "@slo/core/embedded";
import { SloPlatformError } from "@slo/core/errors";
import { FileMetricsSource, type MetricsSource } from "@slo/core/metrics";
import type { SloDefinition } from "@slo/core/spec";
import { formatSpecIssues, loadSloFiles } from "@slo/core/spec";
import { UsageError } from "./io.ts";

/** Thrown when the SLO definitions do not load; the message lists every problem. */
export class DefinitionsError extends SloPlatformError {
  constructor(message: string) {
    super(message, "input");
    this.name = "DefinitionsError";
  }
}

/**
 * Loads the OpenSLO definitions a command works on (default `slos/`), optionally only
 * one service's.
 *
 * @throws DefinitionsError with `file:line` for each invalid definition.
 * @example
 * const slos = await loadDefinitions([], io.cwd, "order-service");
 */
export async function loadDefinitions(
  paths: readonly string[],
  cwd: string,
  service?: string,
): Promise<SloDefinition[]> {
  const resolved = (paths.length ? paths : ["slos"]).map((p) => path.resolve(cwd, p));
  const loaded = await loadSloFiles(resolved);
  if (loaded.issues.length > 0) {
    throw new DefinitionsError(
      `${loaded.issues.length} error(s) in the definitions (run "slo validate"):\n${formatSpecIssues(loaded.issues)}`,
    );
  }
  const slos = service ? loaded.slos.filter((s) => s.service === service) : loaded.slos;
  if (slos.length === 0) {
    throw new UsageError(
      `no SLOs found${service ? ` for service "${service}"` : ""} in ${resolved.join(", ")}`,
    );
  }
  return slos;
}

/** A metrics source and the instant and step to evaluate it at. */
export interface OpenedSource {
  readonly source: MetricsSource;
  readonly nowMs: number;
  readonly stepMs: number;
}

/**
 * The metrics a local command computes from: an exported metrics file, or else the
 * seeded embedded fleet. Evaluates at `atMs`, or at the end of the data.
 *
 * @example
 * const { source, nowMs, stepMs } = await openLocalSource({ cwd: io.cwd, seed: 1 });
 */
export async function openLocalSource(opts: {
  readonly cwd: string;
  readonly file?: string;
  readonly seed: number;
  readonly atMs?: number;
}): Promise<OpenedSource> {
  if (opts.file) {
    const file = await FileMetricsSource.fromFile(path.resolve(opts.cwd, opts.file));
    return { source: file, nowMs: opts.atMs ?? file.endMs, stepMs: file.stepMs };
  }
  return {
    source: new EmbeddedMetricsSource({ seed: opts.seed }),
    nowMs: opts.atMs ?? EMBEDDED_FLEET_END_MS,
    stepMs: 60_000,
  };
}

/** Parses `--at`; `undefined` when not given. */
export function parseAt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `--at must be an ISO-8601 time such as 2026-10-31T12:00:00Z, got "${value}"`,
    );
  }
  return ms;
}

/** Parses `--seed`. */
export function parseSeed(value: string | undefined): number {
  const seed = Number(value ?? "1");
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${value}"`);
  return seed;
}
