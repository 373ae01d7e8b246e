import path from "node:path";
import { EMBEDDED_FLEET_END_MS } from "@slo/core/embedded";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { run } from "./invoke.ts";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../../..");

function recorder(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    isTTY: false,
    cwd: REPO_ROOT,
  };
}

describe("slo invoke --local", () => {
  it("runs slo-calculator on the embedded fleet and prints what it would publish", async () => {
    const io = recorder();
    expect(await run(["slo-calculator", "--local", "--metrics", "full"], io)).toBe(0);
    const text = io.out.join("");
    const wouldPublish = text.split("\n").filter((l) => l.startsWith("would publish Custom/SLO"));
    expect(wouldPublish).toHaveLength(41);
    expect(text).toMatch(
      /would publish Custom\/SLO Stage=local Service=payment-service SLO=payment-service-availability @2026-10-31T12:00:00.000Z {2}.*ErrorBudgetRemaining=/,
    );
    // The job's own Powertools metrics, captured from stdout and shown, not leaked.
    expect(text).toMatch(/job metrics \(EMF\) Custom\/SLO service=slo-calculator .* JobErrors=0/);
    expect(text).toMatch(/slo-calculator \(local\): 41 succeeded, 0 failed, 123 datapoint\(s\)/);
  });

  it("minimal profile (the default): the calculator publishes nothing per SLO, it logs", async () => {
    const io = recorder();
    expect(await run(["slo-calculator", "--local"], io)).toBe(0);
    const text = io.out.join("");
    expect(text).not.toMatch(/would publish Custom\/SLO/);
    expect(text).toMatch(/slo-calculator \(local\): 41 succeeded, 0 failed, 0 datapoint\(s\)/);
  });

  it("--times 2 --json: the burn-rate evaluator notifies on the first run only, JSON last", async () => {
    const io = recorder();
    expect(await run(["burn-rate-evaluator", "--local", "--times", "2", "--json"], io)).toBe(0);
    const lines = io.out.join("").trim().split("\n");
    const doc = JSON.parse(lines.at(-1) as string);
    expect(doc.mode).toBe("local");
    expect(doc.runs.map((r: { notifications: number }) => r.notifications)).toEqual([7, 0]);
    expect(doc.notifications.map((n: { subject: string }) => n.subject)).toContain(
      "[FIRING page] payment-service-availability (local)",
    );
    // The mesh SLO sees the same payment-service incident through Service Connect.
    expect(doc.notifications.map((n: { subject: string }) => n.subject)).toContain(
      "[FIRING page] payment-service-mesh-availability (local)",
    );
    // minimal: AlertState per firing service (catalog, order, payment), each run.
    const states = doc.points.filter((p: { name: string }) => p.name === "AlertState");
    expect(states).toHaveLength(6);
    expect(states.every((p: { dimensions: object }) => !("SLO" in p.dimensions))).toBe(true);
    expect(doc.jobMetrics.filter((p: { name: string }) => p.name === "JobErrors")).toHaveLength(2);
  });

  it("runs predicted-load at a chosen time", async () => {
    const io = recorder();
    const at = new Date(EMBEDDED_FLEET_END_MS - 86_400_000).toISOString();
    expect(await run(["predicted-load", "--local", "--at", at, "--json"], io)).toBe(0);
    const doc = JSON.parse(io.out.join("").trim().split("\n").at(-1) as string);
    expect(doc.runs[0].evaluatedAt).toBe(at);
    // One point per minute until the next run, for each of the ten services.
    const load = doc.points.filter((p: { name: string }) => p.name === "PredictedLoad");
    expect(load).toHaveLength(10 * 15);
    expect(Math.min(...load.map((p: { timestampMs: number }) => p.timestampMs))).toBe(
      Date.parse(at),
    );
  });
});

describe("slo invoke usage", () => {
  it.each([
    [["nope", "--local"], /one of slo-calculator, burn-rate-evaluator, predicted-load/],
    [["slo-calculator"], /exactly one of --local or --aws/],
    [["slo-calculator", "--local", "--aws"], /exactly one of --local or --aws/],
    [["slo-calculator", "--local", "--dry-run"], /--dry-run applies to --aws only/],
    [["slo-calculator", "--local", "--times", "0"], /--times must be a positive integer/],
    [["slo-calculator", "--local", "--at", "yesterday"], /--at must be an ISO-8601 time/],
  ])("%j is rejected", async (argv, message) => {
    await expect(run(argv, recorder())).rejects.toThrow(UsageError);
    await expect(run(argv, recorder())).rejects.toThrow(message);
  });

  it("--aws without the function's environment names what to set", async () => {
    const saved = process.env.SLO_STAGE;
    delete process.env.SLO_STAGE;
    try {
      await expect(run(["slo-calculator", "--aws"], recorder())).rejects.toThrow(
        /SLO_STAGE is missing/,
      );
    } finally {
      if (saved !== undefined) process.env.SLO_STAGE = saved;
    }
  });
});
