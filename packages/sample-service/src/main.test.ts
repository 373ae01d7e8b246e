import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The same command line as the Dockerfile's CMD, run with this Node (24).
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

function run(env: Record<string, string>): {
  child: ChildProcess;
  lines: () => Record<string, unknown>[];
} {
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", MAIN], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const lines = () =>
    out
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, lines };
}

async function waitFor<T>(fn: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out waiting for the process");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("container entry point (src/main.ts)", () => {
  it("serves, then drains and exits 0 on SIGTERM", async () => {
    const { child, lines } = run({
      PORT: "0",
      HOST: "127.0.0.1",
      DRAIN_DELAY_MS: "300",
      SERVICE_NAME: "user-service",
    });
    const listening = await waitFor(() => lines().find((l) => l.msg === "listening"));
    const url = `http://127.0.0.1:${listening.port as number}`;
    expect((await fetch(`${url}/health`)).status).toBe(200);

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await waitFor(() => lines().find((l) => l.msg === "draining"));
    expect((await fetch(`${url}/health`)).status).toBe(503);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(lines().map((l) => l.msg)).toEqual(
      expect.arrayContaining(["signal", "draining", "stopped"]),
    );
    expect(lines().every((l) => typeof l.ts === "string" && typeof l.level === "string")).toBe(
      true,
    );
  });

  it("exits 2 with a message naming the bad variable", async () => {
    const { child, lines } = run({ PORT: "0", FAULT_LATENCY_RATE: "2" });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(lines()[0]).toMatchObject({ level: "error", msg: "invalid configuration" });
    expect(String(lines()[0]?.error)).toMatch(/^FAULT_LATENCY_RATE=2 is not valid/);
  });
});
