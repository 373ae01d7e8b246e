import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../io.ts";
import { run } from "./simulate.ts";

const dir = mkdtempSync(path.join(tmpdir(), "slo-simulate-"));
const rows = ["timestamp,value"];
for (let i = 0; i < 3 * 288; i++)
  rows.push(`${1_700_000_000 + i * 300},${i % 288 >= 96 && i % 288 < 192 ? 30_000 : 3_000}`);
writeFileSync(path.join(dir, "ramps.csv"), `${rows.join("\n")}\n`);
writeFileSync(
  path.join(dir, "unsorted.csv"),
  "timestamp,value\n2024-01-01 00:05:00,1\n2024-01-01 00:00:00,2\n",
);
writeFileSync(path.join(dir, "noheader.csv"), "2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\n");

function recorder() {
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: () => {}, isTTY: false, cwd: dir };
  return { io, out };
}

describe("slo simulate", () => {
  it("ends with one JSON line holding per-policy figures and the deployed pair's ratios", async () => {
    const { io, out } = recorder();
    expect(await run(["--trace", "ramps.csv", "--json"], io)).toBe(0);
    const last = JSON.parse((out.at(-1) as string).trim());
    expect(Object.keys(last.policies)).toEqual([
      "static-peak",
      "target-tracking",
      "aws-predictive",
      "deployed",
    ]);
    expect(last.faster_scaling_pct).toBeGreaterThan(0);
    expect(last.cost_saving_pct).toBeGreaterThan(0);
    // The ratios are the deployed pair's, and task-hours are also compared with target tracking.
    const dp = last.policies.deployed;
    const tt = last.policies["target-tracking"];
    expect(last.task_hours_vs_target_tracking_pct).toBeCloseTo(
      100 * (dp.task_hours / tt.task_hours - 1),
      0,
    );
    expect(last.under_capacity_minutes).toBe(dp.over_capacity_minutes);
    expect(last.policies["static-peak"].peak_tasks).toBe(20);
  });

  it("explains a bad trace", async () => {
    const { io } = recorder();
    await expect(run(["--trace", "unsorted.csv"], io)).rejects.toThrowError(
      /unsorted\.csv:3: .*sort the rows by time/,
    );
    await expect(run(["--trace", "noheader.csv"], io)).rejects.toThrowError(
      /noheader\.csv:1: expected the header/,
    );
    await expect(run(["--trace", "ramps.csv", "--target", "70"], io)).rejects.toThrowError(
      /fraction/,
    );
  });
});
