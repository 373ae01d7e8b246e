import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { ApplyAppSignalsOptions, AppSignalsApplyResult } from "@slo/aws";
import {
  applicationSignalsSlos,
  grafanaDashboards,
  prometheusRules,
  prometheusRulesYaml,
} from "@slo/core/export";
import { flagChoice, parseCommand } from "../args.ts";
import { ensureAwsAccess } from "../aws-access.ts";
import { writeFileAtomic } from "../files.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { loadDefinitions } from "../sources.ts";

const HELP = `Usage: slo export <target> [paths..] [options]

Writes the OpenSLO definitions (default: slos/) for another tool.

Targets:
  prometheus-rules   recording rules per window and multiwindow multi-burn-rate alerts
                     per tier (Sloth/Pyrra shape: labels slo, service, severity,
                     long_window, short_window); the header lists what PromQL cannot
                     express. Check with "promtool check rules FILE".
  application-signals
                     each SLO as a CloudWatch Application Signals CreateServiceLevelObjective
                     request (JSON), with its exclusion windows and, per SLO, the list of
                     what Application Signals cannot express
  grafana-dashboard  one Grafana dashboard per service (SLI, budget burn-down, burn rate
                     per window, alert state), importable into Grafana / Amazon Managed
                     Grafana; --out is then a folder (one <uid>.json per service)

Options:
  --out FILE         write there (replaced atomically) instead of stdout
  --service NAME     only this service's SLOs
  --backend B        grafana-dashboard: prometheus (reads the exported rules' records) or
                     cloudwatch (reads the Custom/SLO metrics the jobs publish); default prometheus
  --datasource UID   grafana-dashboard: the Grafana data source uid (default: the backend's name)
  --stage NAME       grafana-dashboard --backend cloudwatch: the Stage dimension (default production)
  --metrics P        grafana-dashboard --backend cloudwatch: the stage's metrics profile, minimal
                     (default: each service's alert state, per-SLO numbers in the stage report
                     and logs) or full (every objective's metrics)
  --apply            application-signals: create the missing SLOs and update the changed ones
                     in the account (tagged slo-platform:slo; never deletes, refuses SLOs of the
                     same name it did not create); prints one line per SLO. A rerun with no
                     change makes no write call. Exit 1 when any SLO was refused or failed.
  --region R         --apply: the region (default: AWS_REGION / the profile's)
  --dry-run          --apply: read the account and print the plan, write nothing
`;

/** Clients a test hands in instead of the environment's. */
export interface ExportDeps {
  readonly applicationSignals?: ApplyAppSignalsOptions["client"];
}

function renderResult(r: AppSignalsApplyResult): string {
  const detail = [r.arn, r.reason].filter(Boolean).join(": ");
  return `${r.outcome.padEnd(9)} ${r.name}${detail ? `  ${detail}` : ""}\n`;
}

const TARGETS = ["prometheus-rules", "application-signals", "grafana-dashboard"] as const;

/** `slo export <target>`: the definitions rendered for another tool by the pure generators in `@slo/core/export`. */
export function run(argv: string[], io: CliIo): Promise<number> {
  return runWith(argv, io, {});
}

/**
 * `slo export` with injectable clients: tests pass a mocked Application Signals client
 * (no credential check then).
 *
 * @example
 * const code = await runWith(["application-signals", "--apply"], io, { applicationSignals });
 */
export async function runWith(argv: string[], io: CliIo, deps: ExportDeps): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: {
      out: { type: "string" },
      service: { type: "string" },
      backend: { type: "string" },
      datasource: { type: "string" },
      stage: { type: "string" },
      metrics: { type: "string" },
      apply: { type: "boolean", default: false },
      region: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  if (!args) return 0;
  const [target, ...paths] = args.positionals;
  if (target === undefined || !(TARGETS as readonly string[]).includes(target)) {
    throw new UsageError(
      `${target === undefined ? "no target" : `unknown target "${target}"`}: write "slo export ${TARGETS.join("|")} [paths..]"`,
    );
  }
  const { apply, region } = args.values;
  const dryRun = args.values["dry-run"];
  if (apply && target !== "application-signals") {
    throw new UsageError(`--apply is for application-signals only (got "${target}")`);
  }
  if (!apply && (dryRun || region !== undefined)) {
    throw new UsageError(`${dryRun ? "--dry-run" : "--region"} goes with --apply: add --apply`);
  }
  const slos = await loadDefinitions(paths, io.cwd, args.values.service);
  if (apply) {
    const aws = await import("@slo/aws");
    const client =
      deps.applicationSignals ??
      aws.createApplicationSignalsClient({
        region: await ensureAwsAccess(region ?? process.env.AWS_REGION),
      });
    const results = await aws.applyApplicationSignalsSlos(applicationSignalsSlos(slos), {
      client,
      dryRun,
    });
    for (const r of results) io.stdout(renderResult(r));
    const count = (o: AppSignalsApplyResult["outcome"]) =>
      results.filter((r) => r.outcome === o).length;
    io.stderr(
      `${dryRun ? "plan (dry run, nothing written): " : ""}${count("created")} created, ${count("updated")} updated, ${count("unchanged")} unchanged, ${count("refused")} refused, ${count("failed")} failed\n`,
    );
    return count("refused") + count("failed") > 0 ? 1 : 0;
  }
  let text: string;
  let summary: string;
  if (target === "grafana-dashboard") {
    const backend = flagChoice(
      args.values.backend,
      "--backend",
      ["prometheus", "cloudwatch"],
      "prometheus",
    );
    const dashboards = grafanaDashboards(slos, {
      backend,
      datasourceUid: args.values.datasource ?? backend,
      ...(args.values.stage ? { stage: args.values.stage } : {}),
      metrics: flagChoice(args.values.metrics, "--metrics", ["minimal", "full"], "minimal"),
    });
    if (!args.values.out) {
      io.stdout(`${JSON.stringify(dashboards, null, 2)}\n`);
      return 0;
    }
    const dir = path.resolve(io.cwd, args.values.out);
    await mkdir(dir, { recursive: true });
    for (const d of dashboards) {
      await writeFileAtomic(path.join(dir, `${d.uid}.json`), `${JSON.stringify(d, null, 2)}\n`);
    }
    io.stderr(`wrote ${dashboards.length} dashboards (${backend}) to ${dir}\n`);
    return 0;
  }
  if (target === "application-signals") {
    const out = applicationSignalsSlos(slos);
    text = `${JSON.stringify({ serviceLevelObjectives: out }, null, 2)}\n`;
    summary = `${out.filter((s) => s.request).length} CreateServiceLevelObjective requests, ${out.filter((s) => s.cannotExpress.length > 0).length} with a "cannotExpress" list`;
  } else {
    const { groups, cannotExpress } = prometheusRules(slos);
    text = prometheusRulesYaml(slos);
    summary = `${groups.length} rule groups (${groups.reduce((n, g) => n + g.rules.length, 0)} rules), ${cannotExpress.length} SLOs with limits listed in its header`;
  }
  if (args.values.out) {
    const out = path.resolve(io.cwd, args.values.out);
    await writeFileAtomic(out, text);
    io.stderr(`wrote ${summary} to ${out}\n`);
  } else {
    io.stdout(text);
  }
  return 0;
}
