import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../io.ts";
import { run } from "./forecast.ts";

function recorder(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd };
  return { io, out, err };
}

function sineCsv(days: number, stepMin: number): string {
  const per = (24 * 60) / stepMin;
  const rows = ["timestamp,value"];
  for (let i = 0; i < days * per; i++) {
    const t = new Date(Date.UTC(2024, 0, 1) + i * stepMin * 60_000)
      .toISOString()
      .replace("T", " ")
      .slice(0, 19);
    rows.push(
      `${t},${(100 + 50 * Math.sin((2 * Math.PI * i) / per) + ((i * 7919) % 11)).toFixed(1)}`,
    );
  }
  return `${rows.join("\n")}\n`;
}

const dir = mkdtempSync(path.join(tmpdir(), "slo-forecast-"));
writeFileSync(path.join(dir, "load30.csv"), sineCsv(9, 30));
writeFileSync(
  path.join(dir, "bad.csv"),
  "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n",
);

describe("slo forecast", () => {
  it("backtests a 30-minute trace and ends with one JSON line", async () => {
    const { io, out } = recorder(dir);
    expect(await run(["--input", "load30.csv", "--backtest", "--json"], io)).toBe(0);
    const last = JSON.parse((out.at(-1) as string).trim());
    expect(last.mase).toBeLessThan(1);
    expect(last.coverage80).toBeGreaterThan(0);
    expect(typeof last.smape).toBe("number");
    expect(typeof last.model).toBe("string");
    expect(last.horizon).toBe("1h");
  });

  it("prints a forecast table for --horizon", async () => {
    const { io, out } = recorder(dir);
    expect(await run(["--input", "load30.csv", "--horizon", "3h", "--json"], io)).toBe(0);
    expect(JSON.parse((out.at(-1) as string).trim()).forecast).toHaveLength(6);
  });

  it("names the file and line of a bad value, and rejects bad flags", async () => {
    const { io } = recorder(dir);
    await expect(run(["--input", "bad.csv"], io)).rejects.toThrowError(
      /bad\.csv:3: value "abc" is not a number/,
    );
    // A file that is not there is bad input (exit 1) naming the path, not bad usage.
    await expect(run(["--input", "missing.csv"], io)).rejects.toThrowError(
      /missing\.csv: no such file or directory/,
    );
    await expect(run(["--input", "load30.csv", "--horizon", "soon"], io)).rejects.toThrowError(
      /--horizon/,
    );
    await expect(run([], io)).rejects.toThrowError(/--input/);
  });

  const nab = path.resolve(import.meta.dirname, "../../../../../shared/datasets/nab");
  it.skipIf(!existsSync(nab))(
    "backtests a real NAB file (skipped when ../shared/datasets is absent)",
    async () => {
      const { io, out } = recorder(nab);
      expect(
        await run(["--input", "elb_request_count_8c0756.csv", "--backtest", "--json"], io),
      ).toBe(0);
      expect(JSON.parse((out.at(-1) as string).trim()).mase).toBeLessThan(1);
    },
  );
});
