import { createS3Client, S3RollupStore } from "@slo/aws";
import type { FunctionConfig } from "../config.ts";
import type { SloJobDeps } from "../deps.ts";
import { FunctionConfigError } from "../errors.ts";
import { type AwsDepsOptions, awsBaseDeps } from "./common.ts";

/** The rollup bucket name, or a FunctionConfigError saying which link is missing. */
export function requireBucket(config: FunctionConfig): string {
  if (config.rollupBucket === undefined) {
    throw new FunctionConfigError(
      `${config.functionName}: the RollupBucket link is missing: link it to the function in infra`,
    );
  }
  return config.rollupBucket;
}

/**
 * AWS dependencies of the SLO calculator: CloudWatch + ECS discovery, the S3 rollup in
 * the linked `RollupBucket`, EMF output.
 *
 * @example
 * export const handler = createSloCalculator(awsSloDeps(loadFunctionConfig("slo-calculator", process.env)));
 */
export function awsSloDeps(config: FunctionConfig, opts: AwsDepsOptions = {}): SloJobDeps {
  const base = awsBaseDeps(config, opts);
  const bucket = requireBucket(config);
  const region = config.region !== undefined ? { region: config.region } : {};
  const s3 = base.obs.tracer.captureAWSv3Client(createS3Client({ ...region, ...opts.clients }));
  return { ...base, rollupStore: (signal) => new S3RollupStore({ client: s3, bucket, signal }) };
}
