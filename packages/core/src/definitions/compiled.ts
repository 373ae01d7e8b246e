import { SloPlatformError } from "../errors.ts";
import type { SloDefinition } from "../spec/model.ts";

/** Format tag of a compiled definitions file; bumped when `SloDefinition` changes shape. */
export const COMPILED_DEFINITIONS_FORMAT = "slo-platform/definitions@1";

/** Thrown when a compiled definitions file is unreadable, from another version, or damaged. */
export class CompiledDefinitionsError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "CompiledDefinitionsError";
  }
}

interface CompiledDefinitions {
  readonly format: typeof COMPILED_DEFINITIONS_FORMAT;
  readonly slos: readonly SloDefinition[];
}

/**
 * Serialises definitions that `loadSloFiles` has already validated, for the Lambdas:
 * they then load JSON at cold start instead of bundling and running the YAML parser and
 * the schema validation, and a broken definition fails the deploy, not a 3 a.m. run.
 *
 * @example
 * const { slos } = await loadSloFiles(["slos"]);
 * await writeFile(".sst/slo-definitions.json", compileSloDefinitions(slos));
 */
export function compileSloDefinitions(slos: readonly SloDefinition[]): string {
  const doc: CompiledDefinitions = { format: COMPILED_DEFINITIONS_FORMAT, slos };
  return `${JSON.stringify(doc)}\n`;
}

const REQUIRED: ReadonlyArray<keyof SloDefinition> = [
  "name",
  "service",
  "indicator",
  "budgetingMethod",
  "timeWindow",
  "objectives",
  "alertTiers",
  "exclusions",
];

/**
 * Reads a file written by {@link compileSloDefinitions}. It checks the format tag and
 * the fields every consumer relies on; the content was validated when it was compiled.
 *
 * @throws CompiledDefinitionsError naming the file and what to do.
 * @example
 * const slos = parseCompiledSloDefinitions(await readFile(file, "utf8"), file);
 */
export function parseCompiledSloDefinitions(text: string, file: string): SloDefinition[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CompiledDefinitionsError(
      `${file}: not JSON (${(error as Error).message}); rebuild it from slos/ (sst deploy compiles it)`,
      { cause: error },
    );
  }
  const format = (doc as { format?: unknown } | null)?.format;
  if (format !== COMPILED_DEFINITIONS_FORMAT) {
    throw new CompiledDefinitionsError(
      `${file}: format is ${JSON.stringify(format)}, expected "${COMPILED_DEFINITIONS_FORMAT}"; redeploy so the function and its definitions come from the same version`,
    );
  }
  const slos = (doc as { slos?: unknown }).slos;
  if (!Array.isArray(slos)) {
    throw new CompiledDefinitionsError(`${file}: "slos" must be a list of SLO definitions`);
  }
  slos.forEach((slo: Record<string, unknown>, i) => {
    const missing = REQUIRED.filter((k) => slo?.[k] === undefined);
    if (missing.length > 0) {
      throw new CompiledDefinitionsError(
        `${file}: slos[${i}] lacks ${missing.join(", ")}; the file is damaged or hand-edited: rebuild it from slos/`,
      );
    }
  });
  return slos as SloDefinition[];
}
