import path from "node:path";
import { applicationSignalsSlos, prometheusRules, prometheusRulesYaml } from "@slo/core/export";
import { parseCommand } from "../args.ts";
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

Options:
  --out FILE         write there (replaced atomically) instead of stdout
  --service NAME     only this service's SLOs
`;

const TARGETS = ["prometheus-rules", "application-signals"] as const;

/** `slo export <target>`: the definitions rendered for another tool by the pure generators in `@slo/core/export`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: { out: { type: "string" }, service: { type: "string" } },
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
