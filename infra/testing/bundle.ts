import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { build, type Plugin } from "esbuild";
import { SloPlatformError } from "../../packages/core/src/errors.ts";
import type { PlanOutput } from "./plan-types.ts";

const run = promisify(execFile);

/** The command that installs `.sst/platform` offline. */
export const INSTALL_COMMAND = "pnpm --silent sst:install";

/** Thrown when `.sst/platform` (SST's component sources and Pulumi SDKs) is not installed. */
export class PlatformMissingError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "usage", options);
    this.name = "PlatformMissingError";
  }
}

/** Thrown when evaluating the app for a stage fails (the message carries the app's error). */
export class EvaluationError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "EvaluationError";
  }
}

/**
 * Node packages the platform provides (resolved from `.sst/platform/node_modules` at
 * run time, as in a real SST evaluation). Everything else, our workspace code and its
 * dependencies (yaml, zod), is bundled in.
 */
function externals(platformDir: string): Plugin {
  return {
    name: "platform-externals",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:")) return { external: true };
        if (args.importer.startsWith(platformDir)) return { external: true };
        if (args.path.startsWith("@pulumi/") || args.path === "esbuild") return { external: true };
        return undefined;
      });
    },
  };
}

/**
 * Bundles `infra/testing/evaluate.ts` (with sst.config.ts, stacks/, infra/ and the
 * platform's component sources) into `.sst/platform/.slo-plan/evaluate.mjs`, next to
 * the platform's node_modules, the way SST bundles `sst.config.ts`.
 *
 * @example
 * const entry = await bundleEvaluator("/repo");
 */
export async function bundleEvaluator(root: string): Promise<string> {
  const platformDir = path.join(root, ".sst", "platform");
  if (!existsSync(path.join(platformDir, "src", "components", "index.ts"))) {
    throw new PlatformMissingError(
      `.sst/platform is not installed in ${root}: run \`${INSTALL_COMMAND}\` first (offline-safe; needs only the npm registry)`,
    );
  }
  const outDir = path.join(platformDir, ".slo-plan");
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, "evaluate.mjs");
  await build({
    entryPoints: [path.join(root, "infra", "testing", "evaluate.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    sourcemap: "inline",
    logLevel: "error",
    plugins: [externals(platformDir)],
    banner: {
      js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
    },
  });
  return outfile;
}

let planFiles = 0;

/**
 * Evaluates the app for one stage in a child Node process and returns what it declared.
 * `options.dev` evaluates it as `sst dev` does (`$dev === true`).
 *
 * @example
 * const plan = await evaluateStage("/repo", await bundleEvaluator("/repo"), "production");
 * plan.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").length; // 3
 * const live = await evaluateStage("/repo", entry, "dev", { dev: true });
 */
export async function evaluateStage(
  root: string,
  entry: string,
  stage: string,
  options: { readonly dev?: boolean; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<PlanOutput> {
  const mode = options.dev ? "dev" : "deploy";
  const out = path.join(
    path.dirname(entry),
    `plan-${stage}-${mode}-${process.pid}-${Date.now()}-${++planFiles}.json`,
  );
  const args = [entry, "--stage", stage, "--root", root, "--out", out];
  if (options.dev) args.push("--dev");
  try {
    await run(process.execPath, args, {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
      // `options.env` e.g. SLO_SHARD_ABOVE: what `sst deploy` would read from the shell.
      env: { ...process.env, ...options.env, SST_STAGE: stage },
    });
    return JSON.parse(readFileSync(out, "utf8")) as PlanOutput;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new EvaluationError(stderr || (error as Error).message, { cause: error });
  } finally {
    rmSync(out, { force: true });
  }
}
