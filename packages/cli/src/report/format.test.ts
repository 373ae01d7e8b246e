import { describe, expect, it } from "vitest";
import { formatBurnRate, formatDurationShort, formatWindow } from "./format.ts";

describe("report formatting", () => {
  it("labels windows compactly, compound when a tier was scaled to another period", () => {
    expect(formatWindow(3_600_000)).toBe("1h");
    expect(formatWindow(300_000)).toBe("5m");
    expect(formatWindow(3 * 86_400_000)).toBe("3d");
    expect(formatWindow(336 * 60_000)).toBe("5h36m");
    expect(formatWindow(30_000)).toBe("30s");
  });

  it("shows float noise around zero as zero and long horizons as > 1y", () => {
    expect(formatBurnRate(-1e-17)).toBe("0.00x");
    expect(formatBurnRate(168.4)).toBe("168x");
    expect(formatDurationShort(0)).toBe("exhausted");
    expect(formatDurationShort(400 * 86_400_000)).toBe("> 1y");
    expect(formatDurationShort(80 * 60_000)).toBe("1h 20m");
  });
});
