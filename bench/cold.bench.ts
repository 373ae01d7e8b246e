/**
 * `pnpm bench:cold`: bundles each Lambda handler the way SST 4 bundles a Node function
 * (esbuild, ESM, minified, platform node, target node24, SST's createRequire banner) and
 * measures the bundle size and the module initialisation time: `await import(bundle)` in
 * a fresh Node process with a Lambda-like environment (config validation, SDK clients,
 * Powertools), median of several runs. Node's own start-up is not included.
 *
 * Two variants per handler:
 * - `bundled`: everything in the bundle, SST's default (it only externalises what
 *   `nodejs.install` lists);
 * - `sdk-external`: `@aws-sdk/*` left out, as when relying on the SDK the nodejs24.x
 *   runtime provides (loaded from node_modules at init, so its cost is still measured).
 *
 * Targets: each bundle < 500 KB and init < 150 ms. `COLD_BENCH_RUNS=11` for more runs.
 * The last line is JSON.
 */
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
const HANDLERS = ["slo-calculator", "burn-rate-evaluator", "predicted-load"] as const;
const RUNS = Number(process.env.COLD_BENCH_RUNS ?? 7);
const TARGET_KB = 500;
const TARGET_MS = 150;
/** SDK client sets whose bare import time is the floor of the sdk-external variant. */
const SDK_FLOORS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["cloudwatch+s3", ["client-cloudwatch", "client-s3"]],
  [
    "cloudwatch+s3+ecs+elbv2",
    ["client-cloudwatch", "client-s3", "client-ecs", "client-elastic-load-balancing-v2"],
  ],
];

// SST's ESM banner: bundled CommonJS dependencies still find require/__dirname.
const BANNER = [
  `import { createRequire as topLevelCreateRequire } from "module";`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url";`,
  `const __filename = topLevelFileUrlToPath(import.meta.url);`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url));`,
].join("\n");

/** What a deployed function sees: its links and env, as SST and Lambda set them. */
function lambdaEnv(name: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: "eu-west-1",
    AWS_LAMBDA_FUNCTION_NAME: `slo-dev-${name}`,
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1024",
    SLO_STAGE: "dev",
    ECS_CLUSTER_NAME: "fleet",
    SLO_DEFINITIONS_DIR: "slos",
    POWERTOOLS_SERVICE_NAME: name,
    POWERTOOLS_METRICS_NAMESPACE: "Custom/SLO",
    SST_RESOURCE_App: JSON.stringify({ name: "slo", stage: "dev" }),
    SST_RESOURCE_RollupBucket: JSON.stringify({ name: "slo-dev-rollupbucket" }),
    SST_RESOURCE_AlertTopicPage: JSON.stringify({ arn: "arn:aws:sns:eu-west-1:123456789012:page" }),
    SST_RESOURCE_AlertTopicTicket: JSON.stringify({
      arn: "arn:aws:sns:eu-west-1:123456789012:ticket",
    }),
  };
}

/** Links every installed `@aws-sdk/*` package next to the bundles so the external variant resolves. */
function linkSdk(outDir: string): void {
  const target = path.join(outDir, "node_modules", "@aws-sdk");
  mkdirSync(target, { recursive: true });
  for (const pkg of ["aws", "functions"]) {
    const dir = path.join(ROOT, "packages", pkg, "node_modules", "@aws-sdk");
    for (const entry of readdirSync(dir)) {
      const link = path.join(target, entry);
      try {
        symlinkSync(realpathSync(path.join(dir, entry)), link, "dir");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
  }
}

const INIT_PROBE = `
const t0 = performance.now();
const mod = await import(process.argv[1]);
const ms = performance.now() - t0;
if (typeof mod.handler !== "function") throw new Error("no handler export");
process.stdout.write(JSON.stringify({ ms }));
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function measureInit(file: string, name: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const res = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", INIT_PROBE, pathToFileURL(file).href],
      {
        env: lambdaEnv(name),
        encoding: "utf8",
      },
    );
    if (res.status !== 0) throw new Error(`importing ${file} failed:\n${res.stderr}`);
    times.push((JSON.parse(res.stdout) as { ms: number }).ms);
  }
  return median(times);
}

interface Figure {
  readonly kb: number;
  readonly init_ms: number;
}

async function bundle(name: string, outDir: string, sdkExternal: boolean): Promise<string> {
  const outfile = path.join(outDir, `${name}${sdkExternal ? ".sdk-external" : ""}.mjs`);
  await build({
    entryPoints: [path.join(ROOT, "packages/functions/src/handlers", `${name}.ts`)],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    minify: true,
    mainFields: ["module", "main"],
    banner: { js: BANNER },
    external: sdkExternal ? ["@aws-sdk/*"] : [],
    logLevel: "error",
  });
  return outfile;
}

const outDir = mkdtempSync(path.join(tmpdir(), "slo-cold-bench-"));
try {
  linkSdk(outDir);
  const results: Record<string, { bundled: Figure; sdk_external: Figure }> = {};
  console.log(
    `esbuild ESM, minified, platform node, target node24; init = median of ${RUNS} fresh imports\n`,
  );
  console.log(
    `${"handler".padEnd(22)} ${"bundled KB".padStart(10)} ${"init ms".padStart(8)}   ${"sdk-ext KB".padStart(10)} ${"init ms".padStart(8)}`,
  );
  for (const name of HANDLERS) {
    const figures = [] as Figure[];
    for (const sdkExternal of [false, true]) {
      const file = await bundle(name, outDir, sdkExternal);
      const kb = statSync(file).size / 1024;
      figures.push({
        kb: Number(kb.toFixed(1)),
        init_ms: Number(measureInit(file, name).toFixed(1)),
      });
    }
    const [bundled, external] = figures as [Figure, Figure];
    results[name] = { bundled, sdk_external: external };
    console.log(
      `${name.padEnd(22)} ${bundled.kb.toFixed(1).padStart(10)} ${bundled.init_ms.toFixed(1).padStart(8)}   ${external.kb.toFixed(1).padStart(10)} ${external.init_ms.toFixed(1).padStart(8)}`,
    );
  }
  // The floor under the sdk-external figures: importing the runtime's SDK clients alone,
  // measured the same way (a module exporting only a handler).
  const floor: Record<string, number> = {};
  for (const [label, clients] of SDK_FLOORS) {
    const file = path.join(outDir, `floor-${label}.mjs`);
    writeFileSync(
      file,
      `${clients.map((c, i) => `import * as c${i} from "@aws-sdk/${c}";`).join("\n")}\nexport const handler = () => [${clients.map((_, i) => `c${i}`).join(", ")}];\n`,
    );
    floor[label] = Number(measureInit(file, "slo-calculator").toFixed(1));
  }
  console.log(
    `\nSDK alone (no handler code): ${Object.entries(floor)
      .map(([label, ms]) => `${label} ${ms} ms`)
      .join(", ")}`,
  );
  const within = (f: Figure) => f.kb < TARGET_KB && f.init_ms < TARGET_MS;
  const all = Object.values(results);
  const summary = {
    bench: "cold",
    runs: RUNS,
    target_kb: TARGET_KB,
    target_init_ms: TARGET_MS,
    default_variant: "bundled",
    handlers: results,
    max_bundle_kb: Math.max(...all.map((r) => r.bundled.kb)),
    max_init_ms: Math.max(...all.map((r) => r.bundled.init_ms)),
    bundled_within_targets: all.every((r) => within(r.bundled)),
    sdk_external_within_targets: all.every((r) => within(r.sdk_external)),
    sdk_floor_ms: floor,
  };
  console.log(
    `\ntargets: bundle < ${TARGET_KB} KB, init < ${TARGET_MS} ms -> bundled ${summary.bundled_within_targets ? "met" : "MISSED"}, sdk-external ${summary.sdk_external_within_targets ? "met" : "MISSED"}`,
  );
  writeFileSync(path.join(outDir, "summary.json"), JSON.stringify(summary));
  console.log(JSON.stringify(summary));
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
