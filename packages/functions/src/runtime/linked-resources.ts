import { createDecipheriv } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { FunctionConfigError } from "./errors.ts";

/** Linked resources by name, as SST passes them (`{ name }` for a Bucket, `{ arn }` for a topic). */
export type LinkedResources = Readonly<Record<string, unknown>>;

const PREFIX = "SST_RESOURCE_";

/**
 * Reads the SST links of a function the way `Resource` from `sst` does, without the
 * package: every `SST_RESOURCE_<Name>` env var holds one resource as JSON, and a
 * deployed SST 4 function additionally gets the links encrypted in `SST_KEY_FILE`
 * (`resource.enc`, AES-256-GCM with `SST_KEY`, zero nonce, tag in the last 16 bytes).
 * Env vars win over the file so a test or `slo invoke --aws` can override one link.
 *
 * @throws FunctionConfigError naming the env var or file that could not be read.
 * @example
 * readLinkedResources({ SST_RESOURCE_RollupBucket: '{"name":"my-bucket"}' });
 * // { RollupBucket: { name: "my-bucket" } }
 */
export function readLinkedResources(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): LinkedResources {
  const out: Record<string, unknown> = {};
  if (env.SST_KEY && env.SST_KEY_FILE) {
    Object.assign(out, decryptKeyFile(path.resolve(cwd, env.SST_KEY_FILE), env.SST_KEY));
  }
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(PREFIX) || !value) continue;
    try {
      out[key.slice(PREFIX.length)] = JSON.parse(value);
    } catch (error) {
      throw new FunctionConfigError(
        `${key} is not valid JSON (${(error as Error).message}): SST writes it from the link; set it to e.g. '{"name":"my-bucket"}' when running outside SST`,
        { cause: error },
      );
    }
  }
  return out;
}

function decryptKeyFile(file: string, keyBase64: string): Record<string, unknown> {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    throw new FunctionConfigError(
      `SST_KEY_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}): deploy the function with SST so resource.enc is bundled, or unset SST_KEY_FILE and pass SST_RESOURCE_<Name> env vars`,
      { cause: error },
    );
  }
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      Buffer.from(keyBase64, "base64"),
      Buffer.alloc(12, 0),
    );
    decipher.setAuthTag(data.subarray(-16));
    const plain = Buffer.concat([decipher.update(data.subarray(0, -16)), decipher.final()]);
    return JSON.parse(plain.toString("utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new FunctionConfigError(
      `SST_KEY_FILE ${file} cannot be decrypted with SST_KEY (${(error as Error).message}): redeploy so the key and the file match`,
      { cause: error },
    );
  }
}
