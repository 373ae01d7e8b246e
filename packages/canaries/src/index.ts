/**
 * `@slo/canaries`: the Synthetics canary every service gets. `steps.ts` is the pure
 * core, `handler.ts` the file Synthetics runs, `package.ts` builds its zip for infra.
 */
export { CANARY_ENV, type CanaryEnvConfig, canaryConfigFromEnv } from "./config.ts";
export {
  CanaryFailedError,
  handler,
  loadSynthetics,
  type RunDeps,
  runCanary,
  SYNTHETICS_MODULES,
  type SyntheticsLike,
} from "./handler.ts";
export {
  buildCanaryZip,
  bundleCanaryHandler,
  CANARY_HANDLER,
  CANARY_RUNTIME_VERSION,
  CANARY_SCRIPT_NAME,
  CANARY_ZIP_ENTRY,
  CANARY_ZIP_MAX_BYTES,
  CanaryPackageError,
  type CanaryZip,
} from "./package.ts";
export {
  CanaryConfigError,
  type CanaryRunResult,
  type CanaryStep,
  type DefaultStepOptions,
  defaultCanarySteps,
  type FetchLike,
  runCanaryStep,
  runCanarySteps,
  type StepFailure,
  type StepResult,
} from "./steps.ts";
export { createZip, type ZipEntry } from "./zip.ts";
