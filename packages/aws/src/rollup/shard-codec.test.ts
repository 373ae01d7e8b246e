import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RollupCorruptError } from "../errors.ts";
import type { RollupRecord } from "./codec.ts";
import { decodeShardRollups, encodeShardRollups } from "./shard-codec.ts";

const count = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 ** 40 }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1e9, noNaN: true }) },
);
const record = (i: number) =>
  fc.array(fc.tuple(count, count), { maxLength: 300 }).map(
    (steps): RollupRecord => ({
      key: `svc-${i}-slo/objective-${i}`,
      fingerprint: `fp-${i}`,
      startMs: 1_700_000_000_000,
      stepMs: 60_000,
      watermarkMs: 1_700_000_000_000 + steps.length * 60_000,
      good: Float64Array.from(steps.map((s) => s[0])),
      total: Float64Array.from(steps.map((s) => s[1])),
    }),
  );

/** A 35-day, one-minute series shaped like ALB traffic: daily cycle plus noise. */
function trafficRecord(days: number): RollupRecord {
  const n = days * 1440;
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  let seed = 7;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < n; i++) {
    const t = Math.round(600 + 400 * Math.sin((2 * Math.PI * i) / 1440) + 60 * rand());
    total[i] = t;
    good[i] = t - Math.floor(rand() * 3);
  }
  return {
    key: "svc/availability",
    fingerprint: "f",
    startMs: 0,
    stepMs: 60_000,
    watermarkMs: n * 60_000,
    good,
    total,
  };
}

describe("shard codec", () => {
  it("round-trips every record exactly, NaN (no data) included", () => {
    fc.assert(
      fc.property(fc.tuple(record(0), record(1), record(2)), (records) => {
        const decoded = decodeShardRollups(encodeShardRollups(records), "shard-0-of-1");
        expect(decoded.size).toBe(3);
        for (const r of records) expect(decoded.get(r.key)).toEqual(r);
      }),
      { numRuns: 60 },
    );
  });

  it("keeps 35 days of one-minute counts of an SLO well under 1 MB", () => {
    const bytes = encodeShardRollups([trafficRecord(35)]);
    // 50,400 steps x 2 series: ~2 bytes a value, against 16 for the per-SLO float64 codec.
    expect(bytes.length).toBeLessThan(250_000);
    expect(decodeShardRollups(bytes, "s").get("svc/availability")).toEqual(trafficRecord(35));
  });

  it("refuses damaged objects with a corrupt error naming the shard", () => {
    const good = encodeShardRollups([trafficRecord(1)]);
    const flipped = good.slice();
    flipped[100] = (flipped[100] as number) ^ 1;
    const cases = [flipped, good.subarray(0, good.length - 9), new Uint8Array(3)];
    const wrongVersion = good.slice();
    wrongVersion[4] = 9;
    cases.push(wrongVersion);
    for (const bytes of cases) {
      expect(() => decodeShardRollups(bytes, "shard-2-of-4")).toThrow(RollupCorruptError);
      expect(() => decodeShardRollups(bytes, "shard-2-of-4")).toThrow(/shard-2-of-4/);
    }
  });
});
