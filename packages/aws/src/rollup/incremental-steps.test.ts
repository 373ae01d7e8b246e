import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RollupRecord } from "./codec.ts";
import {
  fetchGroups,
  maxBackfillMs,
  mergeCounts,
  planRollup,
  type RollupGrid,
  type RollupSpec,
} from "./incremental.ts";

const STEP = 300_000;
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 20);
const GRID: RollupGrid = {
  stepMs: STEP,
  endMs: END,
  overlapMs: 900_000,
  backfillLimitMs: maxBackfillMs(STEP),
};
const SPEC: RollupSpec = { key: "a/b", fingerprint: "fp", retentionMs: 33 * DAY };

function record(watermarkMs: number, over: Partial<RollupRecord> = {}): RollupRecord {
  const startMs = watermarkMs - DAY;
  const n = DAY / STEP;
  return {
    key: SPEC.key,
    fingerprint: SPEC.fingerprint,
    startMs,
    stepMs: STEP,
    watermarkMs,
    good: new Float64Array(n).fill(9),
    total: new Float64Array(n).fill(10),
    ...over,
  };
}

describe("planRollup", () => {
  it("backfills the retention for a missing record and rebuilds a redefined one", () => {
    expect(planRollup(SPEC, { status: "missing" }, GRID)).toMatchObject({
      kind: "created",
      startMs: END - 33 * DAY,
    });
    const redefined = planRollup(
      SPEC,
      { status: "found", record: record(END - STEP, { fingerprint: "old" }), etag: "e" },
      GRID,
    );
    expect(redefined).toMatchObject({ kind: "rebuilt", base: undefined });
    expect(redefined.messages[0]).toMatch(/another definition or step/);
  });

  it("re-reads the overlap before the watermark, and nothing for a current record", () => {
    const behind = planRollup(
      SPEC,
      { status: "found", record: record(END - 6 * STEP), etag: "e" },
      GRID,
    );
    expect(behind).toMatchObject({ kind: "updated", startMs: END - 9 * STEP });
    const ahead = planRollup(
      SPEC,
      { status: "found", record: record(END + STEP), etag: "e" },
      GRID,
    );
    expect(ahead).toMatchObject({ kind: "current", startMs: END });
  });
});

describe("fetchGroups", () => {
  it("puts short gaps in one fetch and backfills or long gaps in another", () => {
    const found = (w: number) =>
      planRollup(SPEC, { status: "found", record: record(w), etag: "e" }, GRID);
    const recent = found(END - STEP);
    const old = found(END - 2 * DAY);
    const fresh = planRollup(SPEC, { status: "missing" }, GRID);
    const current = found(END);
    expect(fetchGroups([recent, old, fresh, current], END, DAY)).toEqual([[recent], [old, fresh]]);
    expect(fetchGroups([current], END, DAY)).toEqual([]);
  });
});

describe("mergeCounts", () => {
  it("takes fetched steps inside the range and stored ones before it (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (back) => {
        const base = record(END - STEP);
        const range = { startMs: END - back * STEP, endMs: END, stepMs: STEP };
        const fetched = {
          good: new Float64Array(back).fill(1),
          total: new Float64Array(back).fill(2),
        };
        const out = mergeCounts(GRID, SPEC, base, fetched, range);
        expect(out.watermarkMs).toBe(END);
        expect(out.startMs).toBe(END - 33 * DAY);
        const at = (t: number) => (t - out.startMs) / STEP;
        expect(out.total[at(END - STEP)]).toBe(2);
        expect(out.total[at(END - back * STEP)]).toBe(2);
        const before = END - (back + 1) * STEP;
        expect(out.total[at(before)]).toBe(before >= base.startMs ? 10 : Number.NaN);
      }),
    );
  });
});
