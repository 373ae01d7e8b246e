import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, loadConfig, ServiceConfigError, validateConfig } from "./config.ts";

describe("loadConfig", () => {
  it("uses defaults for unset or empty variables", () => {
    expect(loadConfig({})).toEqual(DEFAULT_CONFIG);
    expect(loadConfig({ PORT: "", FAULT_ERROR_RATE: " " })).toEqual(DEFAULT_CONFIG);
  });

  it("reads every variable", () => {
    const c = loadConfig({
      PORT: "9000",
      HOST: "127.0.0.1",
      SERVICE_NAME: "order-service",
      LATENCY_MEDIAN_MS: "35",
      LATENCY_SIGMA: "0.8",
      FAULT_ERROR_RATE: "0.05",
      FAULT_LATENCY_MS: "400",
      FAULT_LATENCY_RATE: "0.1",
      RANDOM_SEED: "7",
      DRAIN_DELAY_MS: "1000",
      SHUTDOWN_TIMEOUT_MS: "2000",
      LOG_REQUESTS: "false",
      BASE_PATH: "/order-service",
    });
    expect(c).toEqual({
      port: 9000,
      host: "127.0.0.1",
      serviceName: "order-service",
      latencyMedianMs: 35,
      latencySigma: 0.8,
      faultErrorRate: 0.05,
      faultLatencyMs: 400,
      faultLatencyRate: 0.1,
      randomSeed: 7,
      drainDelayMs: 1000,
      shutdownTimeoutMs: 2000,
      logRequests: false,
      basePath: "/order-service",
    });
  });

  it.each([
    [
      { FAULT_ERROR_RATE: "1.5" },
      /^FAULT_ERROR_RATE="?1\.5"? is not valid: write a number from 0 to 1/,
    ],
    [
      { FAULT_ERROR_RATE: "five percent" },
      /^FAULT_ERROR_RATE="five percent" is not valid: write a number/,
    ],
    [{ PORT: "80.5" }, /^PORT=80\.5 is not valid: write an integer from 0 to 65535/],
    [{ FAULT_LATENCY_RATE: "-0.1" }, /^FAULT_LATENCY_RATE=-0\.1/],
    [{ LOG_REQUESTS: "maybe" }, /^LOG_REQUESTS="maybe" is not valid: write true or false/],
    [{ SERVICE_NAME: "bad name!" }, /^SERVICE_NAME="bad name!"/],
    [{ RANDOM_SEED: "-1" }, /^RANDOM_SEED=-1/],
  ])("rejects %o naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ServiceConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("property: any rate in [0,1] is accepted, anything outside rejected", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -10, max: 10 }), (rate) => {
        const ok = rate >= 0 && rate <= 1;
        const attempt = () => validateConfig({ ...DEFAULT_CONFIG, faultErrorRate: rate });
        if (ok) expect(attempt().faultErrorRate).toBe(rate);
        else expect(attempt).toThrow(/FAULT_ERROR_RATE/);
      }),
    );
  });
});
