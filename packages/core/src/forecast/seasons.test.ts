import { describe, expect, it } from "vitest";
import { detectSeasons } from "./seasons.ts";

describe("detectSeasons", () => {
  it("finds a daily cycle on 5-minute and 30-minute grids and none in noise", () => {
    const daily = (per: number) =>
      Float64Array.from({ length: 10 * per }, (_, i) => Math.sin((2 * Math.PI * i) / per));
    expect(detectSeasons(daily(288), 300_000)).toEqual([288]);
    expect(detectSeasons(daily(48), 1_800_000)).toEqual([48]);
    let x = 7;
    const noise = Float64Array.from({ length: 3000 }, () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    });
    expect(detectSeasons(noise, 300_000)).toEqual([]);
  });

  it("adds the weekly season when weekends differ", () => {
    const per = 48;
    const y = Float64Array.from(
      { length: 21 * per },
      (_, i) => Math.sin((2 * Math.PI * i) / per) + (Math.floor(i / per) % 7 >= 5 ? 3 : 0),
    );
    expect(detectSeasons(y, 1_800_000)).toContain(7 * per);
  });
});
