/**
 * Type-checks sst.config.ts, stacks/ and infra/ against SST's platform types
 * (.sst/platform). Two passes: the platform-compatible options over everything, then
 * the repo's strict options (verbatimModuleSyntax, noUncheckedIndexedAccess, ...)
 * reporting only our files, since SST's own sources are not written for them.
 *
 * Usage: pnpm --silent infra:typecheck
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
if (!existsSync(path.join(root, ".sst", "platform", "config.d.ts"))) {
  console.error(".sst/platform is missing: run `pnpm --silent sst:install` first");
  process.exit(1);
}
const tsc = path.join(root, "node_modules", ".bin", "tsc");

function check(project: string): string[] {
  const r = spawnSync(tsc, ["-p", project, "--noEmit", "--pretty", "false"], {
    cwd: root,
    encoding: "utf8",
  });
  if (r.error) throw r.error;
  return `${r.stdout}${r.stderr}`.split("\n").filter((line) => line.trim().length > 0);
}

const compat = check("infra/tsconfig.json");
// Continuation lines of a diagnostic are indented; keep them with their own file's errors.
const strict: string[] = [];
let ours = false;
for (const line of check("infra/tsconfig.strict.json")) {
  if (!line.startsWith(" ")) ours = !line.startsWith(".sst/");
  if (ours) strict.push(line);
}
const errors = [...new Set([...compat, ...strict])];
if (errors.length > 0) {
  console.error(errors.join("\n"));
  process.exit(1);
}
console.log("infra typecheck: sst.config.ts, stacks/, infra/, scripts/ clean");
