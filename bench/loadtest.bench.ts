/**
 * The load generator's own ceiling on this machine: `slo loadtest`'s driver (autocannon,
 * one constant-rate run per slice, every request recorded) against a loopback echo
 * server in a child process that answers at once. Achieved / offered rate says up to
 * which rate a run's "achieved" is the target's and not the harness's; harness p99 is
 * the latency the harness itself adds (loopback + generator), to subtract mentally from
 * what a run reports. Median of RUNS runs per rate; not a timed test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { drivePlan } from "../packages/cli/src/loadtest/driver.ts";
import { constantPlan, summariseRun } from "../packages/core/src/loadtest/index.ts";

const RATES = [200, 1000, 2500, 5000, 10_000];
const RUNS = 3;
const SECONDS = 4;

const ECHO = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/plain", "content-length": "2" });
  res.end("ok");
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
`;

function startEcho(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["-e", ECHO], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout?.once("data", (d: Buffer) =>
      resolve({ child, url: `http://127.0.0.1:${String(d).trim()}/` }),
    );
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const { child, url } = await startEcho();
const rows: Array<{
  offered_rps: number;
  achieved_rps: number;
  ratio: number;
  harness_p50_ms: number;
  harness_p99_ms: number;
}> = [];
console.log(
  "offered/s  achieved/s  ratio   p50 ms   p99 ms   (median of 3 runs of 4 s, loopback echo)",
);
try {
  for (const rps of RATES) {
    const runs = [];
    for (let k = 0; k < RUNS; k++) {
      const plan = constantPlan({ rps, durationMs: SECONDS * 1000, intervalMs: SECONDS * 1000 });
      const result = await drivePlan(url, plan, {});
      runs.push(summariseRun(plan, result.samples, result.elapsedMs).total);
    }
    const row = {
      offered_rps: rps,
      achieved_rps: median(runs.map((r) => r.achievedRps)),
      ratio: 0,
      harness_p50_ms: median(runs.map((r) => r.p50Ms ?? Number.NaN)),
      harness_p99_ms: median(runs.map((r) => r.p99Ms ?? Number.NaN)),
    };
    row.ratio = Math.round((row.achieved_rps / rps) * 1000) / 1000;
    rows.push(row);
    console.log(
      `${String(rps).padStart(9)}  ${String(row.achieved_rps).padStart(10)}  ${row.ratio.toFixed(3)}  ${String(row.harness_p50_ms).padStart(7)}  ${String(row.harness_p99_ms).padStart(7)}`,
    );
  }
} finally {
  child.kill();
}
// The headline: the highest rate still delivered within 2 %, and the harness p99 there.
const kept = rows.filter((r) => r.ratio >= 0.98);
const best = kept.at(-1) ?? (rows[0] as (typeof rows)[number]);
console.log(
  `ceiling: ${best.offered_rps} req/s offered -> ${best.achieved_rps} achieved (${(best.ratio * 100).toFixed(1)} %), harness p99 ${best.harness_p99_ms} ms`,
);
console.log(
  JSON.stringify({
    offered_rps: best.offered_rps,
    achieved_rps: best.achieved_rps,
    harness_p99_ms: best.harness_p99_ms,
    runs: RUNS,
    seconds_per_run: SECONDS,
    rates: rows,
  }),
);
