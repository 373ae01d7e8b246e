import path from "node:path";
import {
  EMBEDDED_FLEET_DAYS,
  EMBEDDED_FLEET_END_MS,
  EmbeddedMetricsSource,
} from "@slo/core/embedded";
import { SloPlatformError } from "@slo/core/errors";
import { DEFAULT_MAX_STEPS } from "@slo/core/limits";
import { FileMetricsSource, type MetricsSource } from "@slo/core/metrics";
import type { SloDefinition } from "@slo/core/spec";
import { formatSpecIssues, loadSloFiles } from "@slo/core/spec";
import { flagMaxSteps, flagNumber, flagTime } from "./args.ts";
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
    // One line, as every CLI error: the first issue says where to look, `slo validate`
    // lists them all.
    const first = formatSpecIssues(loaded.issues.slice(0, 1)).trim();
    const more = loaded.issues.length - 1;
    throw new DefinitionsError(
      `${first}${more > 0 ? ` (and ${more} more)` : ""}: run "slo validate ${paths.join(" ") || "slos"}" for every error`,
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
  /** Cap on the steps of one dense series (`--max-steps`). */
  readonly maxSteps: number;
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
  readonly resample?: boolean;
  readonly maxSteps?: number;
}): Promise<OpenedSource> {
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  if (opts.file) {
    const file = await FileMetricsSource.fromFile(path.resolve(opts.cwd, opts.file), {
      resample: opts.resample ?? false,
      maxSteps,
    });
    // An --at outside the file's data would evaluate every SLO on nothing: "no data"
    // everywhere, which a gate allowing on no data would wave through.
    if (opts.atMs !== undefined && !(opts.atMs > file.startMs && opts.atMs <= file.endMs)) {
      throw new UsageError(
        `--at ${new Date(opts.atMs).toISOString()} is outside the data in ${opts.file} (${new Date(file.startMs).toISOString()} to ${new Date(file.endMs).toISOString()}): give a time within it, or leave --at out to evaluate at the end of the data`,
      );
    }
    return { source: file, nowMs: opts.atMs ?? file.endMs, stepMs: file.stepMs, maxSteps };
  }
  const fleetStartMs = EMBEDDED_FLEET_END_MS - EMBEDDED_FLEET_DAYS * 86_400_000;
  if (
    opts.atMs !== undefined &&
    !(opts.atMs > fleetStartMs && opts.atMs <= EMBEDDED_FLEET_END_MS)
  ) {
    throw new UsageError(
      `--at ${new Date(opts.atMs).toISOString()} is outside the embedded fleet's data (${new Date(fleetStartMs).toISOString()} to ${new Date(EMBEDDED_FLEET_END_MS).toISOString()}): give a time within it, or a metrics file with --source`,
    );
  }
  return {
    source: new EmbeddedMetricsSource({ seed: opts.seed }),
    nowMs: opts.atMs ?? EMBEDDED_FLEET_END_MS,
    stepMs: 60_000,
    maxSteps,
  };
}

/**
 * The `--source`, `--at`, `--resample` and `--max-steps` flags of a local command, read
 * strictly, as {@link openLocalSource} options.
 *
 * @example
 * await openLocalSource({ cwd: io.cwd, seed: parseSeed(values.seed), ...dataOptions(values) });
 */
export function dataOptions(values: {
  readonly source?: string | undefined;
  readonly at?: string | undefined;
  readonly resample?: boolean | undefined;
  readonly "max-steps"?: string | undefined;
}): { file?: string; atMs?: number; resample: boolean; maxSteps: number } {
  const atMs = flagTime(values.at, "--at");
  return {
    ...(values.source !== undefined ? { file: values.source } : {}),
    ...(atMs !== undefined ? { atMs } : {}),
    resample: values.resample ?? false,
    maxSteps: flagMaxSteps(values["max-steps"]),
  };
}

/** Parses `--at` strictly (zoned ISO-8601, a real date); `undefined` when not given. */
export function parseAt(value: string | undefined): number | undefined {
  return flagTime(value, "--at");
}

/** Parses `--seed`. */
export function parseSeed(value: string | undefined): number {
  return flagNumber(value, "--seed", 1, { integer: true, expect: "an integer" });
}
