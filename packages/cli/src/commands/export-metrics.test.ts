import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EMBEDDED_FLEET_END_MS, EmbeddedMetricsSource } from "@slo/core/embedded";
import { SizeLimitError } from "@slo/core/limits";
import { collectCounts, FileMetricsSource } from "@slo/core/metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLEET_SLOS_DIR, loadFleetSlos } from "../../../core/testing/fleet-slos.ts";
import type { CliIo } from "../io.ts";
import { UsageError } from "../io.ts";
import { run } from "./export-metrics.ts";

function recorder(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), isTTY: false, cwd };
}

const DAY = 86_400_000;
let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slo-export-metrics-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("slo export-metrics", () => {
  it.each(["csv", "json"])("round-trips the fleet's counts through a %s file", async (format) => {
    const io = recorder(dir);
    expect(
      await run(["--slos", FLEET_SLOS_DIR, "--days", "1", "--out", `fleet.${format}`], io),
    ).toBe(0);
    expect(io.out.join("")).toMatch(
      new RegExp(`wrote 62 series, \\d+ datapoints \\(1 days .* ${format}`),
    );
    const file = await FileMetricsSource.fromFile(join(dir, `fleet.${format}`));
    expect(file.endMs).toBe(EMBEDDED_FLEET_END_MS);
    expect(file.startMs).toBe(EMBEDDED_FLEET_END_MS - DAY);
    const range = {
      startMs: EMBEDDED_FLEET_END_MS - DAY,
      endMs: EMBEDDED_FLEET_END_MS,
      stepMs: 300_000,
    };
    const slos = await loadFleetSlos();
    const fromFile = await collectCounts(slos, file, range);
    const embedded = await collectCounts(slos, new EmbeddedMetricsSource(), range);
    expect(fromFile.failures.size).toBe(0);
    expect(fromFile.counts.size).toBe(41);
    // TC counts of a 5-minute step are summed in a different order (per-minute values in
    // the file, a merged histogram in the store): equal up to rounding.
    const same = (a: Float64Array | undefined, b: Float64Array | undefined) =>
      a !== undefined &&
      b !== undefined &&
      a.length === b.length &&
      a.every((v, i) =>
        Number.isNaN(v)
          ? Number.isNaN(b[i] as number)
          : Math.abs(v - (b[i] as number)) <= 1e-9 * Math.max(1, Math.abs(v)),
      );
    for (const [name, counts] of embedded.counts) {
      const other = fromFile.counts.get(name);
      expect(same(other?.[0]?.good, counts[0]?.good), name).toBe(true);
      expect(same(other?.[0]?.total, counts[0]?.total), name).toBe(true);
    }
    // The quiet reporting-service period survives as no data, not zeros.
    const reporting = fromFile.counts.get("reporting-service-availability")?.[0]?.total;
    expect(Number.isNaN(reporting?.[reporting.length - 1] as number)).toBe(true);
  });

  it("leaves no temporary files behind and replaces the target", async () => {
    const io = recorder(dir);
    const args = ["--slos", FLEET_SLOS_DIR, "--days", "0.5", "--seed", "3", "--format", "json"];
    expect(await run([...args, "--out", "again.data"], io)).toBe(0);
    expect(await run([...args, "--out", "again.data"], io)).toBe(0);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const file = await FileMetricsSource.fromFile(join(dir, "again.data"));
    expect(file.endMs - file.startMs).toBe(DAY / 2);
  });

  it.each([
    [[], /--out FILE is required/],
    // Wording from the one flag parser (args.ts): "--flag must be ..., got VALUE".
    [["--out", "x.csv", "--days", "0"], /--days must be a positive number of days.*got "0"/],
    [["--out", "x.csv", "--seed", "abc"], /--seed must be an integer.*got "abc"/],
    [["--out", "x.csv", "--format", "xml"], /--format must be csv, json or openmetrics, got "xml"/],
    [["--out", "x.csv", "--end", "2026-10-31T12:00:30Z"], /is not a whole minute/],
    [["--out", "x.csv", "--end", "2026-02-30T12:00:00Z"], /--end must be an ISO-8601 .*day 30/],
    [["--out", "x.csv", "--days", "0x10"], /--days must be a positive number/],
  ])("rejects bad flags %j", async (argv, message) => {
    await expect(run(argv, recorder(dir))).rejects.toThrow(UsageError);
    await expect(run(argv, recorder(dir))).rejects.toThrow(message);
  });

  it("refuses --days 100000 before generating anything, naming the flag and the cap", async () => {
    const started = performance.now();
    const error = await run(
      ["--slos", FLEET_SLOS_DIR, "--out", "x.csv", "--days", "100000"],
      recorder(dir),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(SizeLimitError);
    expect(error.kind).toBe("usage");
    expect(error.message).toMatch(/--days 100000 .* over the cap of 50,000,000/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("prints help", async () => {
    const io = recorder(dir);
    expect(await run(["--help"], io)).toBe(0);
    expect(io.out.join("")).toContain("Usage: slo export-metrics --out FILE");
  });
});
