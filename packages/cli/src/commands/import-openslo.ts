import { randomBytes } from "node:crypto";
import { access, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { FileAccessError, fileSystemProblem } from "@slo/core/errors";
import type { SpecDocument } from "@slo/core/spec";
import { toOpenSloYaml } from "@slo/core/spec";
import { parseCommand } from "../args.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { loadForCli, printIssues, readStep } from "./validate.ts";

const USAGE = `Usage: slo import-openslo FILE.. --out DIR [--force]

Reads OpenSLO v1 from other tools (targetPercent, inline indicators, DataSource refs),
validates it, and writes normalised files into DIR: one <service>.yaml per service,
plus _shared.yaml for DataSources, alert policies and unreferenced SLIs.

Options:
  --out DIR        directory to write into (created if missing)
  --force          overwrite existing files (default: refuse, write nothing)
  --step DURATION  evaluation step used for validation (default 1m)
`;

/** Documents not owned by one service (DataSources, alert policies, shared SLIs). */
const SHARED_FILE = "_shared.yaml";

/** Groups documents into output files: each service's Service, SLOs and the SLIs only they use. */
export function groupByService(documents: readonly SpecDocument[]): Map<string, SpecDocument[]> {
  const sliOwner = new Map<string, string>();
  for (const d of documents) {
    if (
      d.kind === "SLO" &&
      d.definition.indicatorRef !== undefined &&
      !sliOwner.has(d.definition.indicatorRef)
    ) {
      sliOwner.set(d.definition.indicatorRef, d.definition.service);
    }
  }
  const fileOf = (service: string) => `${service.replace(/[^a-zA-Z0-9._-]/g, "_")}.yaml`;
  const files = new Map<string, SpecDocument[]>();
  const add = (file: string, doc: SpecDocument, first = false) => {
    const list = files.get(file) ?? [];
    if (first) list.unshift(doc);
    else list.push(doc);
    files.set(file, list);
  };
  for (const d of documents) {
    if (d.kind === "Service") add(fileOf(d.name), d, true);
    else if (d.kind === "SLO") add(fileOf(d.definition.service), d);
    else if (d.kind === "SLI" && sliOwner.has(d.name))
      add(fileOf(sliOwner.get(d.name) as string), d);
    else add(SHARED_FILE, d);
  }
  return files;
}

/** `slo import-openslo FILE.. --out DIR [--force]`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: USAGE,
    positionals: true,
    options: { out: { type: "string" }, force: { type: "boolean" }, step: { type: "string" } },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length === 0)
    throw new UsageError("give at least one OpenSLO file to import (see --help)");
  if (values.out === undefined)
    throw new UsageError("--out DIR is required (where the normalised files go)");

  const result = await loadForCli(positionals, io, readStep(values.step));
  if (printIssues(result, io, io.stderr) > 0) {
    io.stderr(`slo import-openslo: ${result.issues.length} error(s); nothing written.\n`);
    return 1;
  }
  const outDir = resolve(io.cwd, values.out);
  const sources = positionals.join(", ");
  const outputs = [...groupByService(result.documents)].map(([name, docs]) => ({
    path: join(outDir, name),
    text: `# Imported by slo import-openslo from ${sources}\n${toOpenSloYaml(docs)}`,
    docs: docs.length,
  }));

  if (!values.force) {
    const existing: string[] = [];
    for (const o of outputs) if (await exists(o.path)) existing.push(relative(io.cwd, o.path));
    if (existing.length > 0) {
      io.stderr(
        `slo import-openslo: would overwrite ${existing.join(", ")}; nothing written. Pass --force to overwrite, or choose another --out.\n`,
      );
      return 1;
    }
  }
  await writeAll(outDir, outputs);
  for (const o of outputs) io.stdout(`wrote ${relative(io.cwd, o.path)} (${o.docs} documents)\n`);
  io.stdout(`imported ${result.slos.length} SLOs into ${outputs.length} files\n`);
  return 0;
}

/** All-or-nothing: every temp file is written before any target is replaced. */
async function writeAll(
  dir: string,
  outputs: readonly { path: string; text: string }[],
): Promise<void> {
  const suffix = `.${randomBytes(6).toString("hex")}.tmp`;
  const temps: string[] = [];
  let current = dir;
  try {
    await mkdir(dir, { recursive: true });
    for (const o of outputs) {
      current = o.path;
      await writeFile(o.path + suffix, o.text, { flag: "wx" });
      temps.push(o.path + suffix);
    }
    for (const o of outputs) await rename(o.path + suffix, o.path);
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t, { force: true }).catch(() => undefined)));
    if (fileSystemProblem(error) === undefined) throw error;
    throw new FileAccessError(current, error, "choose another --out");
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
