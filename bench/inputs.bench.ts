/**
 * `pnpm bench:inputs`: how fast and how cheaply the CLI says no to hostile inputs that
 * once took it to 11-24 GB and minutes (issue 9): each case runs the real CLI entry
 * (`runCli`) in a fresh Node process and reports the exit code, wall time and peak RSS
 * (`process.resourceUsage().maxRSS`), median of `INPUTS_BENCH_RUNS` (default 3) runs.
 * A baseline case (`--help`) gives the process floor. Targets: every refusal well under
 * a second and ~1 GB; in practice it is the Node start-up plus the module graph.
 * The last line is JSON.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = pathToFileURL(path.join(ROOT, "packages/cli/src/cli.ts")).href;
const SLOS = path.join(ROOT, "slos");
const RUNS = Number(process.env.INPUTS_BENCH_RUNS ?? 3);
const dir = mkdtempSync(path.join(tmpdir(), "slo-bench-inputs-"));

const HEADER = "timestamp,namespace,metric,dimensions,stat,value";
const row = (t: string) => `${t},AWS/ApplicationELB,RequestCount,Service=user-service,Sum,1`;
writeFileSync(
  path.join(dir, "span.csv"),
  [
    HEADER,
    row("1970-01-01T00:00:00Z"),
    row("1970-01-01T00:01:00Z"),
    row("9999-12-31T23:59:00Z"),
  ].join("\n"),
);
writeFileSync(
  path.join(dir, "jitter.csv"),
  [
    HEADER,
    ...Array.from({ length: 1000 }, (_, i) =>
      row(new Date(Date.UTC(2026, 0, 1) + i * 60_001).toISOString()),
    ),
  ].join("\n"),
);
writeFileSync(
  path.join(dir, "trace.csv"),
  `timestamp,value\n${Array.from({ length: 600 }, (_, i) => `${1_700_000_000 + i * 300},${100 + (i % 7)}`).join("\n")}\n`,
);
writeFileSync(
  path.join(dir, "trace-span.csv"),
  "timestamp,value\n1970-01-01 00:00:00,1\n1970-01-01 00:00:01,1\n9999-12-31 00:00:00,1\n",
);
const ancient = readFileSync(path.join(SLOS, "user-service.yaml"), "utf8").replace(
  "duration: 30d",
  "duration: 5000000w",
);
writeFileSync(path.join(dir, "ancient.yaml"), ancient);

const CASES: Record<string, string[]> = {
  "baseline --help": ["--help"],
  "metrics file 1970-9999": ["report", SLOS, "--service", "user-service", "--source", "span.csv"],
  "jittered 60.001 s steps": [
    "report",
    SLOS,
    "--service",
    "user-service",
    "--source",
    "jitter.csv",
  ],
  "--horizon 100000w": ["forecast", "--input", "trace.csv", "--horizon", "100000w"],
  "trace 1970-9999 at 1 s": ["forecast", "--input", "trace-span.csv"],
  "export-metrics --days 100000": ["export-metrics", "--out", "x.csv", "--days", "100000"],
  "SLO window of 5,000,000 w": ["report", "ancient.yaml"],
};

function once(argv: string[]): { code: number; ms: number; rssMb: number } {
  const script = `const { runCli } = await import(${JSON.stringify(CLI)});
const t = performance.now();
const code = await runCli(${JSON.stringify(argv)}, { stdout() {}, stderr() {}, isTTY: false, cwd: ${JSON.stringify(dir)} });
console.log(JSON.stringify({ code, ms: performance.now() - t, rssMb: process.resourceUsage().maxRSS / 1024 }));`;
  const r = spawnSync(process.execPath, ["--no-warnings", "--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) as string);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const results: Record<string, { exit: number; ms: number; peak_rss_mb: number }> = {};
console.log(
  `${"case".padEnd(30)} ${"exit".padStart(4)} ${"ms (in CLI)".padStart(12)} ${"peak RSS MB".padStart(12)}`,
);
for (const [name, argv] of Object.entries(CASES)) {
  const runs = Array.from({ length: RUNS }, () => once(argv));
  const res = {
    exit: runs[0]?.code ?? -1,
    ms: Math.round(median(runs.map((r) => r.ms))),
    peak_rss_mb: Math.round(median(runs.map((r) => r.rssMb))),
  };
  results[name] = res;
  console.log(
    `${name.padEnd(30)} ${String(res.exit).padStart(4)} ${String(res.ms).padStart(12)} ${String(res.peak_rss_mb).padStart(12)}`,
  );
}
rmSync(dir, { recursive: true, force: true });
const worst = Object.entries(results).filter(([n]) => !n.startsWith("baseline"));
console.log(
  JSON.stringify({
    runs: RUNS,
    max_ms: Math.max(...worst.map(([, r]) => r.ms)),
    max_peak_rss_mb: Math.max(...worst.map(([, r]) => r.peak_rss_mb)),
    baseline_peak_rss_mb: results["baseline --help"]?.peak_rss_mb,
    cases: results,
  }),
);
