/**
 * `@slo/sample-service`: the HTTP service every fleet service runs until real apps
 * replace it, with `/health`, a small items API, realistic latency and fault
 * injection. Start it in-process with {@link startSampleService} or as a container
 * (`src/main.ts`).
 */
export {
  DEFAULT_CONFIG,
  loadConfig,
  type SampleServiceConfig,
  ServiceConfigError,
  validateConfig,
} from "./config.ts";
export {
  type AwsCredentials,
  CredentialsError,
  type Downstream,
  type DownstreamCaller,
  DownstreamConfigError,
  type DownstreamResult,
  downstreamCaller,
  parseDownstreams,
  taskRoleCredentials,
} from "./downstream.ts";
export { type Item, ItemStore, ItemValidationError } from "./items.ts";
export { createLogger, type LogEntry, type Logger, type LogLevel, type LogSink } from "./log.ts";
export { logNormal, makeRandom, type Random, seededRandom, standardNormal } from "./random.ts";
export { type SampleServiceHandle, type StartOptions, startSampleService } from "./server.ts";
