import { requiredLookbackMs } from "@slo/core/pipeline";
import type { SloDefinition } from "@slo/core/spec";
import { describe, expect, it } from "vitest";
import { ROLLUP_SLACK_MS, rollupRetentionMs } from "./keys.ts";

const DAY_MS = 86_400_000;

describe("rollupRetentionMs", () => {
  it("keeps what the CLI fetches (two calendar periods) plus the slack", () => {
    const monthly = {
      timeWindow: {
        type: "calendar",
        unit: "Month",
        count: 1,
        startTimeMs: Date.UTC(2026, 0, 1),
        timeZone: "Europe/Paris",
      },
    } as SloDefinition;
    const rolling = { timeWindow: { type: "rolling", durationMs: 30 * DAY_MS } } as SloDefinition;
    expect(rollupRetentionMs(monthly)).toBe(requiredLookbackMs([monthly]) + ROLLUP_SLACK_MS);
    expect(rollupRetentionMs(monthly)).toBe(65 * DAY_MS);
    expect(rollupRetentionMs(rolling)).toBe(33 * DAY_MS);
  });
});
