import path from "node:path";
import { computeSloReports } from "@slo/core/pipeline";
import { DATA_HELP, DATA_OPTIONS, parseCommand } from "../args.ts";
import { writeFileAtomic } from "../files.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { openPrometheusSource } from "../prometheus.ts";
import { renderHtmlReport } from "../report/html.ts";
import { ProgressBar } from "../report/progress.ts";
import { summariseReports } from "../report/summary.ts";
import { renderReportTable } from "../report/table.ts";
import { dataOptions, loadDefinitions, openLocalSource, parseSeed } from "../sources.ts";

const HELP = `Usage: slo report [paths..] [options]

Computes SLIs, compliance, error budgets, burn rates and alerts for every SLO.

  paths            OpenSLO files or folders (default: slos/)
  --source FILE    exported metrics file (CSV or JSON; see packages/core/src/metrics/FORMAT.md)
                   instead of the embedded demo fleet
  --at TIME        evaluation time, ISO-8601 (default: the end of the data)
  --seed N         seed of the embedded fleet (default 1)
  --prometheus URL read the metrics from a Prometheus HTTP API (counters named as
                   "slo export-metrics --format openmetrics" writes them); an Amazon
                   Managed Prometheus workspace URL is signed with SigV4 (AWS credentials
                   from the environment, --region or the URL's region)
  --region R       AMP region (default: from the workspace URL)
                   With --prometheus, --at defaults to now (the embedded fleet loaded from
                   "slo export-metrics --format openmetrics" ends at 2026-10-31T12:00:00Z)
  --service NAME   only this service's SLOs
  --json           one JSON document on stdout
  --html FILE      also write a self-contained HTML report with charts
${DATA_HELP}`;

/** `slo report`: wires the definitions, a metrics source and the core pipeline to renderers. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(argv, io, {
    help: HELP,
    positionals: true,
    options: {
      source: { type: "string" },
      prometheus: { type: "string" },
      region: { type: "string" },
      at: { type: "string" },
      seed: { type: "string", default: "1" },
      service: { type: "string" },
      json: { type: "boolean", default: false },
      html: { type: "string" },
      ...DATA_OPTIONS,
    },
  });
  if (!args) return 0;
  const { values, positionals } = args;
  const slos = await loadDefinitions(positionals, io.cwd, values.service);
  if (values.prometheus !== undefined && values.source !== undefined) {
    throw new UsageError("--prometheus and --source both name the metrics: give one of them");
  }
  const { source, nowMs, stepMs, maxSteps } =
    values.prometheus !== undefined
      ? await openPrometheusSource(values.prometheus, values)
      : await openLocalSource({
          cwd: io.cwd,
          seed: parseSeed(values.seed),
          ...dataOptions(values),
        });

  const progress = new ProgressBar(io, "evaluating SLOs");
  const result = await computeSloReports({
    slos,
    source,
    nowMs,
    stepMs,
    maxSteps,
    strictCounts: values.source !== undefined || values.prometheus !== undefined,
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
    await writeFileAtomic(path.resolve(io.cwd, values.html), html);
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
