import { resolve } from "node:path";
import { toOpenSloYaml } from "@slo/core/spec";
import { parseCommand } from "../args.ts";
import { writeFileAtomic } from "../files.ts";
import type { CliIo } from "../io.ts";
import { loadForCli, printIssues, readStep } from "./validate.ts";

const USAGE = `Usage: slo export-openslo [paths..] [--out FILE]

Writes the loaded definitions (default: slos/) as canonical OpenSLO v1 YAML, engine
extensions as slo-platform.dev/* annotations, to stdout or FILE. Nothing is written
when the definitions have errors.

Options:
  --out FILE       write to FILE (atomically) instead of stdout
  --step DURATION  evaluation step used for validation (default 1m)
`;

/** `slo export-openslo [paths..] [--out FILE]`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: USAGE,
    positionals: true,
    options: { out: { type: "string" }, step: { type: "string" } },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  const result = await loadForCli(
    positionals.length > 0 ? positionals : ["slos"],
    io,
    readStep(values.step),
  );
  if (printIssues(result, io, io.stderr) > 0) {
    io.stderr(
      `slo export-openslo: ${result.issues.length} error(s); nothing exported. Fix them (see slo validate).\n`,
    );
    return 1;
  }
  const yaml = toOpenSloYaml(result.documents);
  if (values.out === undefined) {
    io.stdout(yaml);
  } else {
    await writeFileAtomic(resolve(io.cwd, values.out), yaml);
    io.stderr(
      `wrote ${result.documents.length} documents (${result.slos.length} SLOs) to ${values.out}\n`,
    );
  }
  return 0;
}
