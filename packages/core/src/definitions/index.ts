/**
 * Compiled SLO definitions: validated `SloDefinition`s as JSON, for runtimes that should
 * not carry the YAML parser and schema validator (the Lambdas). No dependencies.
 */
export {
  COMPILED_DEFINITIONS_FORMAT,
  CompiledDefinitionsError,
  compileSloDefinitions,
  parseCompiledSloDefinitions,
} from "./compiled.ts";
