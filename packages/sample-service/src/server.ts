import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createAdaptorServer } from "@hono/node-server";
import { createApp } from "./app.ts";
import { DEFAULT_CONFIG, type SampleServiceConfig, validateConfig } from "./config.ts";
import type { DownstreamCaller } from "./downstream.ts";
import { ItemStore } from "./items.ts";
import { createLogger, type Logger, type LogSink } from "./log.ts";
import { makeRandom } from "./random.ts";

export interface SampleServiceHandle {
  /** `http://host:port` the service listens on. */
  readonly url: string;
  readonly port: number;
  /** True once shutdown has begun: `/health` answers 503. */
  readonly draining: boolean;
  /**
   * Graceful shutdown: report 503 on `/health` for `drainDelayMs` while still serving
   * (the load balancer deregisters the task), stop accepting connections, let
   * in-flight requests finish for up to `shutdownTimeoutMs`, then cut the rest.
   * Idempotent: every call returns the same promise.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Where log lines go (default: stdout). */
  readonly sink?: LogSink;
  /** Calls the declared downstreams for `/downstreams` (default: none declared). */
  readonly downstreams?: DownstreamCaller;
}

export { stripBasePath } from "./app.ts";

/**
 * Starts the sample service. Resolves once it is listening.
 *
 * @example
 * const svc = await startSampleService({ host: "127.0.0.1", port: 0, faultErrorRate: 0.1 });
 * await fetch(`${svc.url}/health`); // 200 {"status":"ok",...}
 * await svc.close();
 */
export async function startSampleService(
  config: Partial<SampleServiceConfig> = {},
  options: StartOptions = {},
): Promise<SampleServiceHandle> {
  const cfg = validateConfig({ ...DEFAULT_CONFIG, ...config });
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log: Logger = createLogger(cfg.serviceName, sink);
  const rand = makeRandom(cfg.randomSeed);
  const store = new ItemStore();
  const startedAt = Date.now();
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const app = createApp({
    config: cfg,
    rand,
    store,
    log,
    startedAt,
    draining: () => draining,
    inFlight: () => inFlight,
    ...(options.downstreams ? { downstreams: options.downstreams } : {}),
  });
  // Counted around the whole request so shutdown waits for in-flight work to finish.
  const server = createAdaptorServer({
    fetch: async (request) => {
      inFlight++;
      try {
        return await app.fetch(request);
      } finally {
        inFlight--;
        if (inFlight === 0) idle?.();
      }
    },
  }) as Server;
  server.keepAliveTimeout = 65_000; // longer than the ALB's 60 s idle timeout, so the ALB closes first

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(cfg.port, cfg.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = cfg.host.includes(":") ? `[${cfg.host}]` : cfg.host;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  log("info", "listening", {
    port,
    host: cfg.host,
    faultErrorRate: cfg.faultErrorRate,
    faultLatencyMs: cfg.faultLatencyMs,
    faultLatencyRate: cfg.faultLatencyRate,
    latencyMedianMs: cfg.latencyMedianMs,
  });

  let closing: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    draining = true;
    log("info", "draining", { drainDelayMs: cfg.drainDelayMs, inFlight });
    if (cfg.drainDelayMs > 0) await sleep(cfg.drainDelayMs);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const finished = inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (idle = r));
    const timedOut = await Promise.race([
      finished.then(() => false),
      sleep(cfg.shutdownTimeoutMs).then(() => true),
    ]);
    if (timedOut) {
      log("warn", "shutdown timeout: closing remaining connections", { inFlight });
    }
    server.closeAllConnections();
    await closed;
    log("info", "stopped", { timedOut });
  }

  return {
    url,
    port,
    get draining() {
      return draining;
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}
