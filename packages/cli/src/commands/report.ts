import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { EMBEDDED_FLEET_END_MS, EmbeddedMetricsSource } from "@slo/core/embedded";
import type { MetricsSource } from "@slo/core/metrics";
import { FileMetricsSource } from "@slo/core/metrics";
import { computeSloReports } from "@slo/core/pipeline";
import { formatSpecIssues, loadSloFiles } from "@slo/core/spec";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { renderHtmlReport } from "../report/html.ts";
import { ProgressBar } from "../report/progress.ts";
import { summariseReports } from "../report/summary.ts";
import { renderReportTable } from "../report/table.ts";

const HELP = `Usage: slo report [paths..] [options]

Computes SLIs, compliance, error budgets, burn rates and alerts for every SLO.

  paths            OpenSLO files or folders (default: slos/)
  --source FILE    exported metrics file (CSV or JSON; see packages/core/src/metrics/FORMAT.md)
                   instead of the embedded demo fleet
  --at TIME        evaluation time, ISO-8601 (default: the end of the data)
  --seed N         seed of the embedded fleet (default 1)
  --service NAME   only this service's SLOs
  --json           one JSON document on stdout
  --html FILE      also write a self-contained HTML report with charts
`;

async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/** `slo report`: wires the definitions, a metrics source and the core pipeline to renderers. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: "string" },
      at: { type: "string" },
      seed: { type: "string", default: "1" },
      service: { type: "string" },
      json: { type: "boolean", default: false },
      html: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed))
    throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  const atMs = values.at === undefined ? undefined : Date.parse(values.at);
  if (atMs !== undefined && Number.isNaN(atMs)) {
    throw new UsageError(
      `--at must be an ISO-8601 time such as 2026-10-31T12:00:00Z, got "${values.at}"`,
    );
  }

  const paths = (positionals.length ? positionals : ["slos"]).map((p) => path.resolve(io.cwd, p));
  const loaded = await loadSloFiles(paths);
  if (loaded.issues.length > 0) {
    io.stderr(`${formatSpecIssues(loaded.issues)}\n`);
    io.stderr(
      `slo report: ${loaded.issues.length} error(s) in the definitions; run "slo validate" for details\n`,
    );
    return 1;
  }
  const slos = values.service
    ? loaded.slos.filter((s) => s.service === values.service)
    : loaded.slos;
  if (slos.length === 0)
    throw new UsageError(
      `no SLOs found${values.service ? ` for service "${values.service}"` : ""} in ${paths.join(", ")}`,
    );

  let source: MetricsSource;
  let nowMs: number;
  let stepMs: number;
  if (values.source) {
    const file = await FileMetricsSource.fromFile(path.resolve(io.cwd, values.source));
    source = file;
    nowMs = atMs ?? file.endMs;
    stepMs = file.stepMs;
  } else {
    source = new EmbeddedMetricsSource({ seed });
    nowMs = atMs ?? EMBEDDED_FLEET_END_MS;
    stepMs = 60_000;
  }

  const progress = new ProgressBar(io, "evaluating SLOs");
  const result = await computeSloReports({
    slos,
    source,
    nowMs,
    stepMs,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.finish();

  const summary = summariseReports(result.reports, result.failures);
  if (values.html) {
    const html = renderHtmlReport(result.reports, {
      title: "SLO report",
      source: source.name,
      generatedAtMs: Date.now(),
      evaluatedAtMs: result.range.endMs,
    });
    await writeAtomically(path.resolve(io.cwd, values.html), html);
    if (!values.json) io.stderr(`wrote ${values.html}\n`);
  }
  if (values.json) {
    io.stdout(
      `${JSON.stringify({
        source: source.name,
        evaluatedAt: new Date(result.range.endMs).toISOString(),
        range: result.range,
        summary,
        reports: result.reports,
        failures: result.failures,
      })}\n`,
    );
  } else {
    io.stdout(renderReportTable(result.reports, { color: io.isTTY }));
    io.stdout(
      `\n${summary.slos} SLOs · ${summary.firing.length} alerting · ${summary.noData.length} without data · ${summary.failures} failed · evaluated at ${new Date(result.range.endMs).toISOString()} from ${source.name}\n`,
    );
    for (const f of result.failures) io.stderr(`failed: ${f.slo}: ${f.reason}\n`);
  }
  return result.failures.length > 0 ? 1 : 0;
}
