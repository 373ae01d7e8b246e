/**
 * Imported first by `evaluate.ts`: SST's platform modules read `$app` / `$cli` while
 * loading (e.g. provider tokens), so the globals must exist before those modules
 * evaluate. `evaluate.ts` fills in the rest once the app config is known.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const g = globalThis as Record<string, unknown>;
const argv = process.argv;
const stageAt = argv.indexOf("--stage");
const rootAt = argv.indexOf("--root");
const root = path.resolve((rootAt >= 0 ? argv[rootAt + 1] : undefined) ?? process.cwd());
const work = mkdtempSync(path.join(tmpdir(), "slo-plan-"));

// `sst dev` evaluates the same config with `$dev === true` (`--dev`); components
// read it while declaring resources, so it is set before any of them load.
const dev = argv.includes("--dev");
g.$dev = dev;
g.$app = {
  name: "app",
  stage: (stageAt >= 0 ? argv[stageAt + 1] : undefined) ?? "dev",
  removal: "retain",
  protect: false,
  providers: {},
};
g.$cli = {
  command: dev ? "dev" : "deploy",
  rpc: "",
  paths: { home: work, root, work, platform: path.join(root, ".sst", "platform") },
  state: { version: {} },
};
