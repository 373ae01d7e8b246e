/**
 * Test helper: a real Prometheus (Debian's `prometheus` package) on loopback over a
 * TSDB backfilled with `promtool tsdb create-blocks-from openmetrics`. Not part of the
 * public API; tests and the benchmark import it by path.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Why Prometheus tests skip on this machine, or `undefined` when they can run. */
export function prometheusMissing(): string | undefined {
  const missing = ["prometheus", "promtool"].filter((bin) => which(bin) === undefined);
  if (missing.length === 0) return undefined;
  return `${missing.join(" and ")} not installed: run "apt-get update && apt-get install -y prometheus" (Debian, as root) to run the Prometheus tests`;
}

/** Absolute path of a binary on PATH (or /usr/bin), `undefined` when absent. */
export function which(bin: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/usr/sbin"];
  for (const dir of dirs) {
    const candidate = path.join(dir, bin);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface RunningPrometheus {
  readonly url: string;
  readonly pid: number;
  /** Stops the server by PID and removes its data directory. */
  stop(): Promise<void>;
}

/** Prometheus' default block span; promtool cuts blocks on these boundaries. */
const BLOCK_MS = 2 * 3_600_000;

/**
 * promtool re-reads the whole input once per 2-hour block it writes, so 34 days in one
 * file is 409 passes over it (minutes). Cutting the input on block boundaries first
 * makes every file one block and one pass.
 */
async function backfill(
  openMetrics: string | Iterable<string>,
  inputDir: string,
  data: string,
): Promise<void> {
  await mkdir(inputDir);
  const slices = new Map<number, { lines: string[]; family: string | undefined }>();
  let family: string | undefined;
  let rest = "";
  const take = (line: string): void => {
    if (line.startsWith("#")) {
      if (line.startsWith("# TYPE")) family = line;
      return;
    }
    if (line === "") return;
    const ts = Number(line.slice(line.lastIndexOf(" ") + 1));
    const block = Math.floor((ts * 1000) / BLOCK_MS);
    let slice = slices.get(block);
    if (!slice) {
      slice = { lines: [], family: undefined };
      slices.set(block, slice);
    }
    if (family !== undefined && slice.family !== family) {
      slice.lines.push(family);
      slice.family = family;
    }
    slice.lines.push(line);
  };
  for (const chunk of typeof openMetrics === "string" ? [openMetrics] : openMetrics) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) take(line);
  }
  take(rest);
  const files: string[] = [];
  for (const [block, slice] of slices) {
    const file = path.join(inputDir, `${block}.om`);
    slice.lines.push("# EOF", "");
    await writeFile(file, slice.lines.join("\n"));
    files.push(file);
  }
  slices.clear();
  // Two at a time: the machines running the tests are small and shared.
  const pending = [...files];
  const worker = async (): Promise<void> => {
    for (let file = pending.shift(); file; file = pending.shift()) {
      await run("promtool", ["tsdb", "create-blocks-from", "openmetrics", "-q", file, data], {
        maxBuffer: 64 * 2 ** 20,
      });
      await rm(file);
    }
  };
  await Promise.all([worker(), worker()]);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`prometheus exited with ${child.exitCode}: ${log().slice(-2000)}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`prometheus at ${url} was not ready within 60 s: ${log().slice(-2000)}`);
}

/**
 * Backfills `openMetrics` (text or chunks) into a fresh TSDB and starts Prometheus on
 * a free loopback port. Retention is 100 years: the embedded fleet's data is older than
 * the default 15 days and would be deleted at startup.
 *
 * @example
 * const prom = await startPrometheus(openMetricsChunks(series, 60_000));
 * try { ... new PrometheusMetricsSource({ url: prom.url }) ... } finally { await prom.stop(); }
 */
export async function startPrometheus(
  openMetrics: string | Iterable<string>,
): Promise<RunningPrometheus> {
  const dir = await mkdtemp(path.join(tmpdir(), "slo-prometheus-"));
  try {
    const data = path.join(dir, "data");
    await backfill(openMetrics, path.join(dir, "input"), data);
    const config = path.join(dir, "prometheus.yml");
    await writeFile(config, "global:\n  evaluation_interval: 1m\n");
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let log = "";
    const child = spawn(
      "prometheus",
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        "--storage.tsdb.retention.time=100y",
        // Keep the backfilled 2-hour blocks as they are: compacting a month of them at
        // startup takes minutes of a small machine while the test queries.
        "--storage.tsdb.max-block-duration=2h",
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-8000);
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error("prometheus did not start");
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const stop = async (): Promise<void> => {
      if (child.exitCode === null) {
        process.kill(pid, "SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) process.kill(pid, "SIGKILL");
      }
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await waitReady(url, child, () => log);
    } catch (error) {
      await stop();
      throw error;
    }
    return { url, pid, stop };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
