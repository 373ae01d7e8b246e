import { mkdir } from "node:fs/promises";
import path from "node:path";
import {
  applicationSignalsSlos,
  grafanaDashboards,
  prometheusRules,
  prometheusRulesYaml,
} from "@slo/core/export";
import { flagChoice, parseCommand } from "../args.ts";
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
`;

const TARGETS = ["prometheus-rules", "application-signals", "grafana-dashboard"] as const;

/** `slo export <target>`: the definitions rendered for another tool by the pure generators in `@slo/core/export`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: {
      out: { type: "string" },
      service: { type: "string" },
      backend: { type: "string" },
      datasource: { type: "string" },
      stage: { type: "string" },
    },
  });
  if (!args) return 0;
  const [target, ...paths] = args.positionals;
  if (target === undefined || !(TARGETS as readonly string[]).includes(target)) {
    throw new UsageError(
      `${target === undefined ? "no target" : `unknown target "${target}"`}: write "slo export ${TARGETS.join("|")} [paths..]"`,
    );
  }
  const slos = await loadDefinitions(paths, io.cwd, args.values.service);
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
