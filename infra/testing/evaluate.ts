/**
 * Bundle entry (see `bundle.ts`): evaluates `sst.config.ts` for one stage under Pulumi
 * mocks, the way `sst deploy` would evaluate it, and writes every declared resource
 * to a JSON file. Runs in its own process per stage: SST components keep
 * process-wide state (lazy singletons), so stages must not share a process.
 *
 * Usage: node evaluate.mjs --stage <name> --root <repo> --out <file.json> [--dev]
 * (`--dev` evaluates it as `sst dev` does: `$dev === true`, set by `prelude.ts`).
 */
import "./prelude.ts";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import * as pulumiAws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as sstComponents from "../../.sst/platform/src/components/index.ts";
import { createMocks, MOCK_ACCOUNT } from "./mocks.ts";
import type { PlanOutput } from "./plan-types.ts";
import { startRpcServer } from "./rpc-server.ts";
import { installShimGlobals } from "./shim.ts";

const { values } = parseArgs({
  options: {
    stage: { type: "string" },
    root: { type: "string" },
    out: { type: "string" },
    dev: { type: "boolean", default: false },
  },
});
const stage = values.stage ?? "dev";
const out = values.out;
const dev = values.dev === true;

const failures: unknown[] = [];
process.on("unhandledRejection", (reason) => failures.push(reason));

const g = globalThis as Record<string, unknown>;

async function main(): Promise<PlanOutput> {
  const cli = g.$cli as { rpc: string; paths: { work: string } };
  const work = cli.paths.work;
  const rpc = await startRpcServer(work, MOCK_ACCOUNT.region, MOCK_ACCOUNT.accountId, dev);
  process.env.SST_SERVER = rpc.url;
  installShimGlobals(g);
  g.sst = sstComponents;
  g.aws = pulumiAws;
  cli.rpc = rpc.url;

  const config = (await import("../../sst.config.ts")).default as unknown as {
    app: (input: { stage: string }) => Record<string, unknown>;
    run: () => Promise<Record<string, unknown> | undefined>;
  };
  const app = config.app({ stage });
  // Mutated in place: platform modules captured this object while loading.
  Object.assign(g.$app as object, {
    name: app.name,
    stage,
    removal: app.removal ?? "retain",
    protect: app.protect ?? false,
    providers: { aws: { region: MOCK_ACCOUNT.region } },
  });

  const { mocks, resources, calls } = createMocks();
  await pulumi.runtime.setMocks(mocks, String(app.name), stage, false);
  const notices: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => notices.push(args.map(String).join(" "));
  let outputs: Record<string, unknown> = {};
  try {
    const returned = (await config.run()) ?? {};
    outputs = (await resolveOutputs(returned)) as Record<string, unknown>;
    await settle(() => resources.length);
  } finally {
    console.warn = warn;
    await rpc.close();
  }
  if (failures.length > 0) {
    const first = failures[0];
    throw first instanceof Error ? first : new Error(String(first));
  }
  return {
    stage,
    dev,
    app: { name: String(app.name), removal: String(app.removal), protect: Boolean(app.protect) },
    notices,
    outputs,
    resources,
    calls: calls.map((c) => c.token),
    builds: rpc.builds,
    live: rpc.live,
  };
}

const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs;

/**
 * Waits until Pulumi's RPC queue is drained and no new resource appears for a while:
 * components create resources inside `apply` callbacks, long after `run()` returns.
 */
async function settle(count: () => number): Promise<void> {
  let last = -1;
  let stable = 0;
  while (stable < 4) {
    await waitForRPCs();
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = count();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}

function resolveOutputs(value: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const output: pulumi.Output<unknown> = pulumi.output(value);
    output.apply((v) => {
      resolve(v);
      return v;
    });
  });
}

main().then(
  (result) => {
    const json = JSON.stringify(result);
    if (out) writeFileSync(out, json);
    else process.stdout.write(`${json}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(
      `infra evaluation failed for stage "${stage}"${dev ? " in dev mode" : ""}: ${message}\n`,
    );
    process.exit(1);
  },
);
