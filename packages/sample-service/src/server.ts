import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { DEFAULT_CONFIG, type SampleServiceConfig, validateConfig } from "./config.ts";
import { ItemStore, ItemValidationError } from "./items.ts";
import { createLogger, type Logger, type LogSink } from "./log.ts";
import { logNormal, makeRandom, type Random } from "./random.ts";

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
}

const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "HttpError";
    this.status = status;
  }
}

interface Fault {
  readonly error: boolean;
  readonly extraLatencyMs: number;
  readonly baseLatencyMs: number;
}

function decideFault(config: SampleServiceConfig, rand: Random): Fault {
  // Always draw the same number of values per request so a seed gives the same
  // sequence whatever the fault settings.
  const errorDraw = rand();
  const latencyDraw = rand();
  const baseLatencyMs = logNormal(rand, config.latencyMedianMs, config.latencySigma);
  return {
    error: errorDraw < config.faultErrorRate,
    extraLatencyMs:
      config.faultLatencyMs > 0 && latencyDraw < config.faultLatencyRate
        ? config.faultLatencyMs
        : 0,
    baseLatencyMs,
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(res.req.method === "HEAD" ? undefined : payload);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `Body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "Body is not valid JSON");
  }
}

/** Removes the ALB routing prefix; paths outside it are served unchanged (direct health checks). */
export function stripBasePath(pathname: string, basePath: string): string {
  if (basePath === "") return pathname;
  if (pathname === basePath) return "/";
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : pathname;
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, `Query parameter "${name}" must be an integer from ${min} to ${max}`);
  }
  return n;
}

function methodNotAllowed(allow: string): HttpError & { allow: string } {
  return Object.assign(new HttpError(405, `Method not allowed; use ${allow}`), { allow });
}

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

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string[]> {
    const method = req.method ?? "GET";
    if (url.pathname === "/health") {
      if (method !== "GET" && method !== "HEAD") throw methodNotAllowed("GET, HEAD");
      const uptimeSeconds = Math.round((Date.now() - startedAt) / 1000);
      if (draining) send(res, 503, { status: "draining", service: cfg.serviceName, uptimeSeconds });
      else send(res, 200, { status: "ok", service: cfg.serviceName, uptimeSeconds, inFlight });
      return [];
    }
    const match = /^\/api\/items(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!match) throw new HttpError(404, `No route for ${url.pathname}; try /health or /api/items`);

    const fault = decideFault(cfg, rand);
    const faults: string[] = [];
    if (fault.extraLatencyMs > 0) faults.push("latency");
    if (fault.error) faults.push("error");
    const delay = fault.baseLatencyMs + fault.extraLatencyMs;
    if (delay > 0) await sleep(delay);
    const faultHeader: Record<string, string> = faults.length
      ? { "x-fault": faults.join(",") }
      : {};
    if (fault.error) {
      send(res, 500, { error: "Injected fault (FAULT_ERROR_RATE)" }, faultHeader);
      return faults;
    }

    const id = match[1];
    if (id === undefined) {
      if (method === "GET" || method === "HEAD") {
        const limit = intParam(url, "limit", 20, 1, 100);
        const offset = intParam(url, "offset", 0, 0, 1_000_000);
        send(res, 200, { ...store.list(limit, offset), limit, offset }, faultHeader);
      } else if (method === "POST") {
        const item = store.create(await readJson(req));
        send(res, 201, item, { ...faultHeader, location: `/api/items/${item.id}` });
      } else {
        throw methodNotAllowed("GET, HEAD, POST");
      }
      return faults;
    }
    if (method !== "GET" && method !== "HEAD") throw methodNotAllowed("GET, HEAD");
    const item = store.get(decodeURIComponent(id));
    if (!item) throw new HttpError(404, `No item with id "${id}"`);
    send(res, 200, item, faultHeader);
    return faults;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    inFlight++;
    // Tell keep-alive clients to reconnect (to another task) once we are draining.
    if (draining) res.setHeader("connection", "close");
    const url = new URL(req.url ?? "/", "http://localhost");
    url.pathname = stripBasePath(url.pathname, cfg.basePath);
    let faults: string[] = [];
    try {
      faults = await route(req, res, url);
    } catch (err) {
      if (err instanceof HttpError) {
        const allow = (err as { allow?: string }).allow;
        send(res, err.status, { error: err.message }, allow ? { allow } : {});
      } else if (err instanceof ItemValidationError) {
        send(res, 400, { error: err.message });
      } else {
        log("error", "unhandled error", { path: url.pathname, error: String(err) });
        if (!res.headersSent) send(res, 500, { error: "Internal error" });
        else res.destroy();
      }
    } finally {
      inFlight--;
      if (cfg.logRequests) {
        log("info", "request", {
          method: req.method,
          path: url.pathname,
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          ...(faults.length ? { fault: faults.join(",") } : {}),
        });
      }
      if (inFlight === 0) idle?.();
    }
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
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
