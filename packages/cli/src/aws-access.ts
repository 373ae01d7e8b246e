import { SloPlatformError } from "@slo/core/errors";

/** A command needs AWS but this machine has no AWS region or credentials. */
export class AwsAccessError extends SloPlatformError {
  constructor(msg: string, options?: ErrorOptions) {
    super(msg, "aws", options);
    this.name = "AwsAccessError";
  }
}

/** How a command words the missing-access error. */
export interface AwsAccessWording {
  /** Put before the message, e.g. `"--aws: "`. */
  readonly prefix?: string;
  /** Appended to the credentials hint, e.g. `", or use --local"`. */
  readonly alternative?: string;
}

/**
 * Fails with a clear message naming AWS_REGION / AWS_PROFILE when the default provider
 * chain finds no region or no credentials, else returns the region. Resolves them
 * locally: no AWS call is made.
 *
 * @throws AwsAccessError
 * @example
 * const region = await ensureAwsAccess(process.env.AWS_REGION, { prefix: "--aws: " });
 * const ecs = createEcsClient({ region });
 */
export async function ensureAwsAccess(
  region: string | undefined,
  wording: AwsAccessWording = {},
): Promise<string> {
  const prefix = wording.prefix ?? "";
  const { createCloudWatchClient } = await import("@slo/aws");
  // An empty AWS_REGION counts as unset: the SDK would otherwise fail later, on the first call.
  const client = createCloudWatchClient(region ? { region } : {});
  try {
    const resolved = await client.config.region().catch(() => "");
    if (!resolved) {
      throw new AwsAccessError(
        `${prefix}no AWS region configured: set AWS_REGION (or a profile with a region)`,
      );
    }
    try {
      await client.config.credentials();
    } catch (error) {
      throw new AwsAccessError(
        `${prefix}no AWS credentials found (${(error as Error).message.split("\n")[0]}): set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY${wording.alternative ?? ""}`,
        { cause: error },
      );
    }
    return resolved;
  } finally {
    client.destroy();
  }
}
