/**
 * The offline counterpart of `sst diff`: evaluates the SST app for a stage under
 * Pulumi mocks and lists every resource it declares (type, name, key settings).
 * With --json the last line is `{"stage","resources","by_type",...}`. With --dev it
 * evaluates the app as `sst dev` does (`$dev === true`) and the JSON adds `dev` and
 * `dev_mode` (resource counts per type that dev mode adds or drops against deploy) and
 * `live_functions` (the handlers `sst dev` runs locally).
 *
 * Usage: pnpm --silent infra:plan --stage <name> [--dev] [--json]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { bundleEvaluator, evaluateStage } from "../infra/testing/bundle.ts";
import {
  deadLetterCost,
  devModeChanges,
  shardedCost,
  summarizePlan,
} from "../infra/testing/summary.ts";
import { meshCost, plannedPosture } from "../infra/testing/zero-trust.ts";
import { FLEET } from "../stacks/fleet.ts";

const root = path.resolve(import.meta.dirname, "..");
let values: { stage?: string; json?: boolean; dev?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      stage: { type: "string" },
      json: { type: "boolean", default: false },
      dev: { type: "boolean", default: false },
    },
  }));
} catch (error) {
  console.error(
    `${(error as Error).message}\nusage: pnpm --silent infra:plan --stage <name> [--dev] [--json]`,
  );
  process.exit(2);
}
const stage = values.stage ?? "dev";
const dev = values.dev === true;
try {
  const started = performance.now();
  const entry = await bundleEvaluator(root);
  // Dev mode is shown against what `sst deploy` declares for the same stage.
  const [plan, deployed] = await Promise.all([
    evaluateStage(root, entry, stage, { dev }),
    dev ? evaluateStage(root, entry, stage) : undefined,
  ]);
  const summary = summarizePlan(plan);
  const changes = deployed ? devModeChanges(summarizePlan(deployed).byType, summary.byType) : {};
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const notice of plan.notices) console.log(notice);
  for (const line of summary.lines) console.log(line);
  console.log(
    `\n${summary.total} resources for stage "${stage}"${dev ? " in dev mode (sst dev)" : ""} (evaluated offline under mocks in ${seconds} s)`,
  );
  for (const [type, count] of Object.entries(summary.byType))
    console.log(`  ${String(count).padStart(4)}  ${type}`);
  const deadLetter = deadLetterCost(plan);
  console.log(
    `\njobs' dead-letter queue: ${deadLetter.queues} queue(s), ${deadLetter.alarms} alarm(s), $${deadLetter.monthly_usd.toFixed(2)}/month at list price`,
  );
  const sharded = shardedCost(plan);
  if (sharded.state_machines > 0) {
    console.log(
      `sharded SLO jobs: ${sharded.state_machines} Express state machine(s), ${sharded.alarms} failed/timed-out execution alarm(s) ($${sharded.monthly_usd.toFixed(2)}/month), ${sharded.dead_lettered_schedules} schedule(s) dead-lettering failed starts`,
    );
  }
  const mesh = meshCost(plan);
  console.log(
    `zero trust: ${mesh.certificate_authorities} private CA(s), ${mesh.lattice_services} Lattice service(s), $${mesh.monthly_usd.toFixed(2)}/month at list price before traffic${mesh.per_gb_usd ? ` (+$${mesh.per_gb_usd}/GB through Lattice)` : ""}`,
  );
  if (dev) {
    console.log("\ndev mode against deploy (resources per type):");
    for (const [type, delta] of Object.entries(changes))
      console.log(`  ${(delta > 0 ? `+${delta}` : String(delta)).padStart(5)}  ${type}`);
  }
  if (values.json) {
    console.log(
      JSON.stringify({
        stage,
        resources: summary.total,
        by_type: summary.byType,
        notices: plan.notices,
        dead_letter: deadLetter,
        sharded,
        zero_trust: { ...plannedPosture(plan, FLEET), cost: meshCost(plan) },
        ...(dev
          ? { dev: true, dev_mode: changes, live_functions: plan.live.map((t) => t.handler).sort() }
          : {}),
      }),
    );
  }
} catch (error) {
  console.error(`${(error as Error).name}: ${(error as Error).message}`);
  process.exit(1);
}
