/**
 * Packages the canary for `aws.synthetics.Canary`: the handler bundled (with its
 * imports) into one CommonJS file at `nodejs/node_modules/slo-canary.js` inside a
 * zip, the layout Node.js Puppeteer runtimes load handlers from.
 *
 * Build-time only (esbuild, file I/O): infra calls it; the canary itself never does.
 */

import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { SloPlatformError } from "@slo/core/errors";
import { createZip } from "./zip.ts";

/** Current Node.js + Puppeteer Synthetics runtime (Node.js 22 Lambda runtime). */
export const CANARY_RUNTIME_VERSION = "syn-nodejs-puppeteer-15.0";
export const CANARY_SCRIPT_NAME = "slo-canary";
/** `handler` argument of `aws.synthetics.Canary`. */
export const CANARY_HANDLER = `${CANARY_SCRIPT_NAME}.handler`;
/** Where the bundled handler sits inside the zip. */
export const CANARY_ZIP_ENTRY = `nodejs/node_modules/${CANARY_SCRIPT_NAME}.js`;
/** Synthetics rejects inline zips above 225 KB (use S3 beyond that). */
export const CANARY_ZIP_MAX_BYTES = 225 * 1024;

/** The handler's source; callers that are themselves bundled (sst.config.ts) pass their own path. */
const HANDLER_ENTRY = fileURLToPath(new URL("./handler.ts", import.meta.url));

/** Thrown when the canary cannot be packaged. */
export class CanaryPackageError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "CanaryPackageError";
  }
}

/**
 * The handler bundled as one CommonJS file (source text). `import.meta.url` is
 * rewritten to the bundle's own file URL so the lazy `require` of the Synthetics
 * library resolves from the layer's `node_modules`.
 *
 * `entry` defaults to this package's `src/handler.ts`; code that is bundled before it
 * runs (the SST app) must pass the real path, since its `import.meta.url` moves.
 *
 * @example
 * const js = await bundleCanaryHandler(); // "const __slo_import_meta_url = ..."
 */
export async function bundleCanaryHandler(entry: string = HANDLER_ENTRY): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [entry],
    // The package folder: keeps path comments, and so the bytes, independent of the caller's cwd.
    absWorkingDir: dirname(dirname(entry)),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    write: false,
    legalComments: "none",
    external: ["@aws/synthetics-puppeteer", "Synthetics"],
    define: { "import.meta.url": "__slo_import_meta_url" },
    banner: {
      js: 'const __slo_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
    },
    logLevel: "silent",
  });
  const out = result.outputFiles[0];
  if (!out) throw new CanaryPackageError("esbuild produced no output for the canary handler");
  return out.text;
}

export interface CanaryZip {
  /** Path of the written zip: pass as `zipFile`. */
  readonly path: string;
  readonly bytes: number;
  /** SHA-256 of the zip, hex: changes exactly when the code does. */
  readonly sha256: string;
  readonly handler: string;
  readonly runtimeVersion: string;
}

/**
 * Bundles the handler and writes the canary zip to `outFile` (directories created).
 *
 * @example
 * const zip = await buildCanaryZip(".sst/artifacts/canary.zip");
 * new aws.synthetics.Canary("OrderServiceCanary", {
 *   zipFile: zip.path, handler: zip.handler, runtimeVersion: zip.runtimeVersion, ...
 * });
 */
export async function buildCanaryZip(outFile: string): Promise<CanaryZip> {
  const js = await bundleCanaryHandler();
  const zip = createZip([{ path: CANARY_ZIP_ENTRY, data: Buffer.from(js, "utf8") }]);
  if (zip.length > CANARY_ZIP_MAX_BYTES) {
    throw new CanaryPackageError(
      `Canary zip is ${zip.length} bytes, over the ${CANARY_ZIP_MAX_BYTES}-byte inline limit: upload it to S3 (s3Bucket/s3Key) instead of zipFile`,
    );
  }
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, zip);
  return {
    path: outFile,
    bytes: zip.length,
    sha256: createHash("sha256").update(zip).digest("hex"),
    handler: CANARY_HANDLER,
    runtimeVersion: CANARY_RUNTIME_VERSION,
  };
}
