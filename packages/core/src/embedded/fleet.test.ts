import { describe, expect, it } from "vitest";
import { EmbeddedFleet, EmbeddedFleetError, getEmbeddedFleet } from "./fleet.ts";
import { countInRange, LATENCY_BUCKETS } from "./histogram.ts";
import { EMBEDDED_FLEET_END_MS, EMBEDDED_INCIDENTS, FLEET_SERVICES } from "./profiles.ts";

const MIN = 60_000;

function sum(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) if (!Number.isNaN(a[i] as number)) s += a[i] as number;
  return s;
}

function tail(fleet: EmbeddedFleet, service: string, minutes: number) {
  const s = fleet.service(service);
  const from = s.minutes - minutes;
  const hist = new Float64Array(LATENCY_BUCKETS);
  for (let m = from; m < s.minutes; m++) {
    for (let k = 0; k < LATENCY_BUCKETS; k++)
      hist[k] = (hist[k] as number) + (s.latency[m * LATENCY_BUCKETS + k] as number);
  }
  const requests = sum(s.requestCount, from, s.minutes);
  const samples = sum(s.latencySamples, from, s.minutes);
  return {
    requests,
    errorRatio: sum(s.http5xx, from, s.minutes) / requests,
    slowOver: (x: number) => countInRange(hist, x, undefined) / samples,
    series: s,
  };
}

describe("embedded fleet generator", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = new EmbeddedFleet({ seed: 42, days: 2 }).service("order-service");
    const b = new EmbeddedFleet({ seed: 42, days: 2 }).service("order-service");
    const c = new EmbeddedFleet({ seed: 43, days: 2 }).service("order-service");
    expect(a.requestCount).toEqual(b.requestCount);
    expect(a.latency).toEqual(b.latency);
    expect(a.cpu).toEqual(b.cpu);
    expect(a.requestCount).not.toEqual(c.requestCount);
    expect(a.latency).not.toEqual(c.latency);
  });

  it("keeps per-minute invariants: status codes add up, histograms hold every timed response", () => {
    const fleet = new EmbeddedFleet({ days: 1 });
    for (const name of FLEET_SERVICES) {
      const s = fleet.service(name);
      let bad = 0;
      let checked = 0;
      for (let m = 0; m < s.minutes; m++) {
        const r = s.requestCount[m] as number;
        if (Number.isNaN(r)) continue;
        checked++;
        const parts =
          (s.http2xx[m] as number) +
          (s.http4xx[m] as number) +
          (s.http5xx[m] as number) +
          (s.connectionErrors[m] as number);
        let h = 0;
        for (let k = 0; k < LATENCY_BUCKETS; k++) h += s.latency[m * LATENCY_BUCKETS + k] as number;
        if (parts !== r || h !== s.latencySamples[m] || !(r > 0)) bad++;
      }
      expect(bad).toBe(0);
      expect(checked).toBeGreaterThan(1000);
      expect(Math.min(...s.cpu)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...s.cpu)).toBeLessThanOrEqual(100);
    }
  });

  it("has daily and weekly cycles", () => {
    const s = getEmbeddedFleet().service("user-service"); // peaks 13:00 UTC
    const dayOf = (m: number) => (Math.floor((s.startMs + m * MIN) / 86_400_000) + 4) % 7; // 0 = Sunday
    const hourTotal = (hour: number) => {
      let t = 0;
      for (let m = 0; m < s.minutes; m++) {
        const weekday = dayOf(m);
        const h = Math.floor(((s.startMs + m * MIN) % 86_400_000) / 3_600_000);
        if (h === hour && weekday >= 1 && weekday <= 5) t += s.requestCount[m] as number;
      }
      return t;
    };
    expect(hourTotal(13) / hourTotal(1)).toBeGreaterThan(2.5);
    let weekend = 0;
    let weekday = 0;
    for (let m = 0; m < s.minutes; m++) {
      const d = dayOf(m);
      if (d === 0 || d === 6) weekend += s.requestCount[m] as number;
      else weekday += s.requestCount[m] as number;
    }
    // 10 weekend days vs 25 weekdays in 35 days
    expect(weekend / 10 / (weekday / 25)).toBeGreaterThan(0.55);
    expect(weekend / 10 / (weekday / 25)).toBeLessThan(0.75);
  });

  it("shows the injected incidents at the end instant", () => {
    const fleet = getEmbeddedFleet();
    expect(fleet.endMs).toBe(EMBEDDED_FLEET_END_MS);
    expect(EMBEDDED_INCIDENTS.map((i) => i.service)).toEqual([
      "payment-service",
      "order-service",
      "catalog-service",
      "reporting-service",
      "user-service",
    ]);
    const payment = tail(fleet, "payment-service", 40);
    expect(payment.errorRatio).toBeGreaterThan(0.23);
    expect(payment.errorRatio).toBeLessThan(0.27);
    const paymentBefore = tail(fleet, "payment-service", 100);
    expect(
      (paymentBefore.errorRatio * paymentBefore.requests - payment.errorRatio * payment.requests) /
        (paymentBefore.requests - payment.requests),
    ).toBeLessThan(0.002);

    const order = tail(fleet, "order-service", 3 * 1440);
    expect(order.errorRatio).toBeGreaterThan(0.0035);
    expect(order.errorRatio).toBeLessThan(0.005);

    const catalog = tail(fleet, "catalog-service", 6 * 60);
    expect(catalog.slowOver(0.25)).toBeGreaterThan(0.45);
    expect(catalog.slowOver(0.25)).toBeLessThan(0.55);
    expect(catalog.slowOver(0.5)).toBeGreaterThan(0.03);
    const catalogCalm = tail(fleet, "catalog-service", 24 * 60);
    expect(catalogCalm.requests).toBeGreaterThan(0);

    const reporting = fleet.service("reporting-service");
    const quiet = reporting.requestCount.subarray(reporting.minutes - 120);
    expect(quiet.every((v) => Number.isNaN(v))).toBe(true);
    expect(Number.isNaN(reporting.requestCount[reporting.minutes - 121] as number)).toBe(false);

    const user = fleet.service("user-service");
    const old = EMBEDDED_INCIDENTS.find((i) => i.service === "user-service");
    const from = ((old?.startMs ?? 0) - user.startMs) / MIN;
    const outage = sum(user.http5xx, from, from + 30) / sum(user.requestCount, from, from + 30);
    expect(outage).toBeGreaterThan(0.08);
    expect(outage).toBeLessThan(0.12);
  });

  it("rejects bad options with the fix in the message", () => {
    expect(() => new EmbeddedFleet({ seed: 1.5 })).toThrow(EmbeddedFleetError);
    expect(() => new EmbeddedFleet({ endMs: 123 })).toThrow(/multiple of 60000/);
    expect(() => new EmbeddedFleet({ days: 0 })).toThrow(/write e.g. 35/);
    expect(() => new EmbeddedFleet().service("nope")).toThrow(
      /unknown service "nope": the embedded fleet has user-service/,
    );
  });
});
