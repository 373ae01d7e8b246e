import { FLEET_SERVICES } from "@slo/core/embedded";
import { afterAll, describe, expect, it } from "vitest";
import { loadFleetSlos } from "../../core/testing/fleet-slos.ts";
import { measureIncrementalRuns, measureNaiveRun, mockFleetAws } from "../testing/api-usage.ts";

const NOW = Date.UTC(2026, 10, 20, 12, 0);

describe("API calls per run for the 41-SLO fleet (mocked CloudWatch, ECS, ELBv2)", () => {
  const aws = mockFleetAws(FLEET_SERVICES);
  afterAll(() => aws.restore());

  it("backfills once, then makes one GetMetricData call of 62 metrics per 5-minute run", async () => {
    const { perRun, incompleteSlos } = await measureIncrementalRuns(
      await loadFleetSlos(),
      NOW,
      3,
      300_000,
      aws,
    );
    expect(incompleteSlos).toBe(0);
    // The mesh SLO (slos/mesh.yaml) adds Service Connect RequestCount and 5xx: 62 metrics.
    // Backfill: 33 days of 5-minute steps, 72 entries -> 100,800-point calls of 10 entries.
    expect(perRun[0]?.metrics).toBe(62);
    expect(perRun[0]?.calls).toBeGreaterThan(1);
    expect(perRun.slice(1)).toEqual([
      { calls: 1, metrics: 62, discoveryCalls: 3 },
      { calls: 1, metrics: 62, discoveryCalls: 3 },
    ]);
  });

  it("the naive approach asks for 828 metrics in 369 calls per run", async () => {
    const naive = await measureNaiveRun(await loadFleetSlos(), NOW, aws);
    expect(naive.calls).toBe(41 * 9);
    expect(naive.metrics).toBe(10 * 9 * (3 + 2 + 2 + 2) + 9 * 2);
  });
});
