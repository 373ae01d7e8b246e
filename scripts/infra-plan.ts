/**
 * The offline counterpart of `sst diff`: evaluates the SST app for a stage under
 * Pulumi mocks and lists every resource it declares (type, name, key settings).
 * With --json the last line is `{"stage","resources","by_type",...}`.
 *
 * Usage: pnpm --silent infra:plan --stage <name> [--json]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { bundleEvaluator, evaluateStage } from "../infra/testing/bundle.ts";
import { summarizePlan } from "../infra/testing/summary.ts";

const root = path.resolve(import.meta.dirname, "..");
let values: { stage?: string; json?: boolean };
try {
  ({ values } = parseArgs({
    options: { stage: { type: "string" }, json: { type: "boolean", default: false } },
  }));
} catch (error) {
  console.error(
    `${(error as Error).message}\nusage: pnpm --silent infra:plan --stage <name> [--json]`,
  );
  process.exit(2);
}
const stage = values.stage ?? "dev";
try {
  const started = performance.now();
  const plan = await evaluateStage(root, await bundleEvaluator(root), stage);
  const summary = summarizePlan(plan);
  for (const notice of plan.notices) console.log(notice);
  for (const line of summary.lines) console.log(line);
  console.log(
    `\n${summary.total} resources for stage "${stage}" (evaluated offline under mocks in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  for (const [type, count] of Object.entries(summary.byType))
    console.log(`  ${String(count).padStart(4)}  ${type}`);
  if (values.json) {
    console.log(
      JSON.stringify({
        stage,
        resources: summary.total,
        by_type: summary.byType,
        notices: plan.notices,
      }),
    );
  }
} catch (error) {
  console.error(`${(error as Error).name}: ${(error as Error).message}`);
  process.exit(1);
}
