import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RollupCorruptError } from "../errors.ts";
import { decodeRollup, encodeRollup, type RollupRecord } from "./codec.ts";

const count = fc.oneof(fc.constant(Number.NaN), fc.double({ min: 0, max: 1e9, noNaN: true }));
const record = fc
  .tuple(
    fc.integer({ min: 0, max: 300 }),
    fc.string({ maxLength: 40 }),
    fc.string({ maxLength: 40 }),
  )
  .chain(([n, key, fingerprint]) =>
    fc.record({
      key: fc.constant(key),
      fingerprint: fc.constant(fingerprint),
      stepMs: fc.constant(300_000),
      startMs: fc.constant(1_700_000_000_000),
      watermarkMs: fc.integer({ min: 0, max: n }).map((k) => 1_700_000_000_000 + k * 300_000),
      good: fc.array(count, { minLength: n, maxLength: n }).map((a) => Float64Array.from(a)),
      total: fc.array(count, { minLength: n, maxLength: n }).map((a) => Float64Array.from(a)),
    }),
  );

describe("rollup codec", () => {
  it("round-trips any record, NaN (no data) included", () => {
    fc.assert(
      fc.property(record, (r: RollupRecord) => {
        const back = decodeRollup(encodeRollup(r), r.key);
        expect(back).toEqual(r);
      }),
    );
  });

  it("detects any single corrupted byte", () => {
    fc.assert(
      fc.property(record, fc.nat(), fc.integer({ min: 1, max: 255 }), (r, at, xor) => {
        const bytes = encodeRollup(r);
        const i = at % bytes.length;
        bytes[i] = (bytes[i] as number) ^ xor;
        expect(() => decodeRollup(bytes, r.key)).toThrow(RollupCorruptError);
      }),
    );
  });

  it("rejects truncation, another key and a foreign object with a readable reason", () => {
    const r: RollupRecord = {
      key: "a/b",
      fingerprint: "f",
      stepMs: 300_000,
      startMs: 0,
      watermarkMs: 600_000,
      good: Float64Array.of(1, 2),
      total: Float64Array.of(2, 2),
    };
    const bytes = encodeRollup(r);
    expect(() => decodeRollup(bytes.subarray(0, 50), "a/b")).toThrow(/corrupt \(size/);
    expect(() => decodeRollup(bytes, "c/d")).toThrow(/holds "a\/b"/);
    expect(() =>
      decodeRollup(
        new TextEncoder().encode(JSON.stringify({ json: true, padding: ".".repeat(64) })),
        "a/b",
      ),
    ).toThrow(/bad magic/);
    // 2 steps: header + key + fingerprint + 32 bytes of counts + crc.
    expect(bytes.length).toBe(40 + 3 + 1 + 32 + 4);
  });
});
