import type { TimeRange } from "@slo/core/metrics";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RollupConflictError } from "../errors.ts";
import type { RollupRecord } from "./codec.ts";
import {
  type CountsFetcher,
  type FetchedCounts,
  type RollupSpec,
  updateRollups,
} from "./incremental.ts";
import { MemoryRollupStore } from "./memory-store.ts";

const STEP = 300_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);
const SPEC: RollupSpec = {
  key: "svc-availability/availability",
  fingerprint: "fp1",
  retentionMs: 33 * DAY,
};

/** Ground truth: total and good events of the step starting at t (deterministic). */
function truth(t: number, lateBoost = 0): { good: number; total: number } {
  const k = t / STEP;
  const total = 100 + (k % 17) + lateBoost;
  return { good: total - (k % 5 === 0 ? 1 : 0), total };
}

function fetcher(
  log: TimeRange[],
  opts: { complete?: boolean; boost?: (t: number) => number } = {},
): CountsFetcher {
  return async (keys, range) => {
    log.push(range);
    const n = (range.endMs - range.startMs) / range.stepMs;
    const out = new Map<string, FetchedCounts>();
    for (const key of keys) {
      const good = new Float64Array(n);
      const total = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const t = range.startMs + i * range.stepMs;
        const v = truth(t, opts.boost?.(t) ?? 0);
        good[i] = v.good;
        total[i] = v.total;
      }
      out.set(key, { good, total, complete: opts.complete ?? true });
    }
    return out;
  };
}

function expectTruth(
  rec: { startMs: number; good: Float64Array; total: Float64Array },
  from: number,
  to: number,
) {
  for (let t = from; t < to; t += STEP) {
    const i = (t - rec.startMs) / STEP;
    expect(rec.total[i]).toBe(truth(t).total);
    expect(rec.good[i]).toBe(truth(t).good);
  }
}

describe("updateRollups", () => {
  it("backfills once, then fetches only the overlap plus new steps", async () => {
    const store = new MemoryRollupStore();
    const log: TimeRange[] = [];
    const first = await updateRollups({
      store,
      specs: [SPEC],
      fetch: fetcher(log),
      nowMs: T0 + 40 * DAY + 1234,
    });
    const r1 = first.results.get(SPEC.key);
    expect(r1?.outcome).toBe("created");
    // Backfill: the full retention (33 days of 5-minute steps; within CloudWatch's 63 days).
    expect(log[0]).toEqual({ startMs: T0 + 7 * DAY, endMs: T0 + 40 * DAY, stepMs: STEP });
    expect(r1?.counts?.total.length).toBe((33 * DAY) / STEP);

    const second = await updateRollups({
      store,
      specs: [SPEC],
      fetch: fetcher(log),
      nowMs: T0 + 40 * DAY + 5 * 60_000,
    });
    expect(second.results.get(SPEC.key)?.outcome).toBe("updated");
    // 15-minute overlap + one new step = 4 steps.
    expect(log[1]).toEqual({
      startMs: T0 + 40 * DAY - 15 * 60_000,
      endMs: T0 + 40 * DAY + STEP,
      stepMs: STEP,
    });
    const counts = second.results.get(SPEC.key)?.counts;
    expect(counts?.startMs).toBe(T0 + 7 * DAY + STEP);
    expectTruth(counts as RollupRecord, T0 + 7 * DAY + STEP, T0 + 40 * DAY + STEP);
  });

  it("never double-counts: rerunning the same period leaves the stored bytes unchanged", async () => {
    const store = new MemoryRollupStore();
    const now = T0 + 40 * DAY;
    await updateRollups({ store, specs: [SPEC], fetch: fetcher([]), nowMs: now });
    await updateRollups({ store, specs: [SPEC], fetch: fetcher([]), nowMs: now + 7 * STEP });
    const before = store.objects.get(SPEC.key)?.body;
    await updateRollups({ store, specs: [SPEC], fetch: fetcher([]), nowMs: now + 7 * STEP });
    await updateRollups({ store, specs: [SPEC], fetch: fetcher([]), nowMs: now + 7 * STEP + 1000 });
    expect(store.objects.get(SPEC.key)?.body).toEqual(before);
  });

  it("a second job in the same step reuses the stored counts without fetching", async () => {
    const store = new MemoryRollupStore();
    const now = T0 + 40 * DAY;
    await updateRollups({ store, specs: [SPEC], fetch: fetcher([]), nowMs: now });
    const log: TimeRange[] = [];
    // The burn-rate evaluator, two minutes after the SLO calculator, same 5-minute step.
    const second = await updateRollups({
      store,
      specs: [SPEC],
      fetch: fetcher(log),
      nowMs: now + 120_000,
    });
    expect(log).toEqual([]);
    expect(second.results.get(SPEC.key)).toMatchObject({ outcome: "current", complete: true });
    // The next step fetches again.
    await updateRollups({ store, specs: [SPEC], fetch: fetcher(log), nowMs: now + STEP });
    expect(log).toHaveLength(1);
  });

  it("overwrites late data inside the overlap", async () => {
    const store = new MemoryRollupStore();
    const now = T0 + 40 * DAY;
    await updateRollups({ store, specs: [SPEC], fetch: fetcher([]), nowMs: now });
    const lateStep = now - STEP;
    const res = await updateRollups({
      store,
      specs: [SPEC],
      fetch: fetcher([], { boost: (t) => (t === lateStep ? 50 : 0) }),
      nowMs: now + STEP,
    });
    const c = res.results.get(SPEC.key)?.counts as RollupRecord;
    expect(c.total[(lateStep - c.startMs) / STEP]).toBe(truth(lateStep).total + 50);
  });

  it("keeps counts equal to the truth across any schedule of runs (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 * 3_600_000 }), { minLength: 1, maxLength: 8 }),
        async (gaps) => {
          const store = new MemoryRollupStore();
          const spec = { ...SPEC, retentionMs: 2 * DAY };
          let now = T0 + 10 * DAY + 17_000;
          let last: RollupRecord | undefined;
          for (const g of gaps) {
            now += g;
            const res = await updateRollups({
              store,
              specs: [spec],
              fetch: fetcher([]),
              nowMs: now,
            });
            last = res.results.get(spec.key)?.counts as RollupRecord;
          }
          const end = Math.floor(now / STEP) * STEP;
          expect(last?.startMs).toBe(end - 2 * DAY);
          expectTruth(last as RollupRecord, end - 2 * DAY, end);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("reports and rebuilds a corrupt object, and rebuilds on a definition change", async () => {
    const store = new MemoryRollupStore();
    const now = T0 + 40 * DAY;
    await updateRollups({ store, specs: [SPEC], fetch: fetcher([]), nowMs: now });
    const obj = store.objects.get(SPEC.key);
    if (!obj) throw new Error("not stored");
    const damaged = obj.body.slice();
    damaged[100] = (damaged[100] as number) ^ 0xff;
    store.objects.set(SPEC.key, { body: damaged, etag: obj.etag });
    const log: TimeRange[] = [];
    const res = await updateRollups({
      store,
      specs: [SPEC],
      fetch: fetcher(log),
      nowMs: now + STEP,
    });
    expect(res.results.get(SPEC.key)?.outcome).toBe("rebuilt");
    expect(res.results.get(SPEC.key)?.messages[0]).toMatch(/corrupt \(checksum mismatch\)/);
    expect(log[0]?.startMs).toBe(now + STEP - 33 * DAY);
    expect((await store.read(SPEC.key)).status).toBe("found");

    const changed = await updateRollups({
      store,
      specs: [{ ...SPEC, fingerprint: "fp2" }],
      fetch: fetcher([]),
      nowMs: now + 2 * STEP,
    });
    expect(changed.results.get(SPEC.key)?.outcome).toBe("rebuilt");
  });

  it("does not store incomplete data and serves the previous counts as stale", async () => {
    const store = new MemoryRollupStore();
    const now = T0 + 40 * DAY;
    await updateRollups({ store, specs: [SPEC], fetch: fetcher([]), nowMs: now });
    const etag = store.objects.get(SPEC.key)?.etag;
    const res = await updateRollups({
      store,
      specs: [SPEC],
      fetch: fetcher([], { complete: false }),
      nowMs: now + STEP,
    });
    const r = res.results.get(SPEC.key);
    expect(r).toMatchObject({ outcome: "stale", complete: false, watermarkMs: now });
    expect(store.objects.get(SPEC.key)?.etag).toBe(etag);

    const fresh = new MemoryRollupStore();
    const failed = await updateRollups({
      store: fresh,
      specs: [SPEC],
      fetch: fetcher([], { complete: false }),
      nowMs: now,
    });
    expect(failed.results.get(SPEC.key)).toMatchObject({ outcome: "failed", complete: false });
    expect(fresh.objects.size).toBe(0);
  });

  it("merges onto a concurrent writer instead of losing its data", async () => {
    const store = new MemoryRollupStore();
    const now = T0 + 40 * DAY;
    await updateRollups({ store, specs: [SPEC], fetch: fetcher([]), nowMs: now });
    // Run B reads, then run A (an earlier schedule tick) writes before B does.
    let injected = false;
    const racing: CountsFetcher = async (keys, range) => {
      if (!injected) {
        injected = true;
        await updateRollups({
          store,
          specs: [SPEC],
          fetch: fetcher([], { boost: () => 1 }),
          nowMs: now + STEP,
        });
      }
      return fetcher([])(keys, range);
    };
    const res = await updateRollups({ store, specs: [SPEC], fetch: racing, nowMs: now + 2 * STEP });
    expect(store.stats.conflicts).toBe(1);
    expect(res.results.get(SPEC.key)?.outcome).toBe("updated");
    const c = res.results.get(SPEC.key)?.counts as RollupRecord;
    expect(c.total.length).toBe((33 * DAY) / STEP);
    expectTruth(c, now - 15 * 60_000, now + 2 * STEP);
  });

  it("throws RollupConflictError from a store when the etag is stale", async () => {
    const store = new MemoryRollupStore();
    const rec: RollupRecord = {
      key: "k",
      fingerprint: "f",
      startMs: 0,
      stepMs: STEP,
      watermarkMs: 0,
      good: new Float64Array(),
      total: new Float64Array(),
    };
    const etag = await store.write(rec, null);
    await expect(store.write(rec, null)).rejects.toThrow(RollupConflictError);
    await store.write({ ...rec, watermarkMs: 0 }, etag);
    await expect(store.write(rec, etag)).resolves.toBeTypeOf("string");
  });
});
