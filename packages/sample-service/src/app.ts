import { setTimeout as sleep } from "node:timers/promises";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { SampleServiceConfig } from "./config.ts";
import type { DownstreamCaller } from "./downstream.ts";
import { type ItemStore, ItemValidationError } from "./items.ts";
import type { Logger } from "./log.ts";
import { logNormal, type Random } from "./random.ts";

const MAX_BODY_BYTES = 64 * 1024;
const ITEMS_TRAILING_SLASH = /^(\/api\/items(?:\/[^/]+)?)\/$/;

/** What the routes read from the running service. */
export interface AppState {
  readonly config: SampleServiceConfig;
  readonly rand: Random;
  readonly store: ItemStore;
  readonly log: Logger;
  readonly startedAt: number;
  /** True once shutdown has begun. */
  draining(): boolean;
  /** Requests being handled, this one included. */
  inFlight(): number;
  /** Calls the declared downstreams (none declared: an empty list). */
  readonly downstreams?: DownstreamCaller;
}

type Env = { Variables: { faults: string[] } };

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

/** JSON with an exact length and no caching, as every response of the service is. */
function send(
  c: Context,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  const payload = JSON.stringify(body);
  return c.body(payload, status as 200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(payload)),
    "cache-control": "no-store",
    ...headers,
  });
}

/** A 405 whose response carries the `Allow` header the client should use. */
function methodNotAllowed(allow: string): HTTPException {
  return new HTTPException(405, {
    message: `Method not allowed; use ${allow}`,
    res: new Response(null, { headers: { allow } }),
  });
}

function intParam(c: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HTTPException(400, {
      message: `Query parameter "${name}" must be an integer from ${min} to ${max}`,
    });
  }
  return n;
}

/** Removes the ALB routing prefix; paths outside it are served unchanged (direct health checks). */
export function stripBasePath(pathname: string, basePath: string): string {
  if (basePath === "") return pathname;
  if (pathname === basePath) return "/";
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : pathname;
}

/**
 * The service's routes: `/health` (never faulted: the load balancer must see the
 * task's real state) and the items API behind fault injection, under `BASE_PATH` or
 * without it. Errors are JSON `{ error }` with a specific status.
 *
 * @example
 * const app = createApp(state);
 * await app.request("/health"); // 200 {"status":"ok",...}
 */
export function createApp(state: AppState): Hono<Env> {
  const { config: cfg, log } = state;
  const app = new Hono<Env>({
    // The items API takes one optional trailing slash; /health is matched exactly.
    getPath: (req) =>
      stripBasePath(new URL(req.url).pathname, cfg.basePath).replace(ITEMS_TRAILING_SLASH, "$1"),
  });

  app.use(async (c, next) => {
    const started = performance.now();
    const draining = state.draining();
    c.set("faults", []);
    try {
      await next();
      // Tell keep-alive clients to reconnect (to another task) once we are draining.
      if (draining) c.res.headers.set("connection", "close");
    } finally {
      if (cfg.logRequests) {
        const faults = c.get("faults");
        log("info", "request", {
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          ...(faults.length ? { fault: faults.join(",") } : {}),
        });
      }
    }
  });

  app.on(["GET", "HEAD"], "/health", (c) => {
    const uptimeSeconds = Math.round((Date.now() - state.startedAt) / 1000);
    if (state.draining()) {
      return send(c, 503, { status: "draining", service: cfg.serviceName, uptimeSeconds });
    }
    const body = {
      status: "ok",
      service: cfg.serviceName,
      uptimeSeconds,
      inFlight: state.inFlight(),
    };
    return send(c, 200, body);
  });
  app.all("/health", () => {
    throw methodNotAllowed("GET, HEAD");
  });

  // Proves the mesh path end to end for the canary: each declared downstream's /health,
  // through Service Connect or signed through Lattice. Never faulted, like /health.
  app.get("/downstreams", async (c) => {
    const results = state.downstreams ? await state.downstreams("/health") : [];
    const ok = results.every((r) => r.ok);
    return send(c, ok ? 200 : 502, { service: cfg.serviceName, ok, downstreams: results });
  });
  app.all("/downstreams", () => {
    throw methodNotAllowed("GET");
  });

  // Every items route is faulted before its method is checked, as a real outage would be.
  app.all("/api/items/:id?", async (c, next) => {
    const fault = decideFault(cfg, state.rand);
    const faults = c.get("faults");
    if (fault.extraLatencyMs > 0) faults.push("latency");
    if (fault.error) faults.push("error");
    const delay = fault.baseLatencyMs + fault.extraLatencyMs;
    if (delay > 0) await sleep(delay);
    const faultHeader: Record<string, string> = faults.length
      ? { "x-fault": faults.join(",") }
      : {};
    if (fault.error) {
      c.res = send(c, 500, { error: "Injected fault (FAULT_ERROR_RATE)" }, { ...faultHeader });
      return;
    }
    await next();
    if (c.res.status < 400)
      for (const [k, v] of Object.entries(faultHeader)) c.res.headers.set(k, v);
  });

  app.on(["GET", "HEAD"], "/api/items", (c) => {
    const limit = intParam(c, "limit", 20, 1, 100);
    const offset = intParam(c, "offset", 0, 0, 1_000_000);
    return send(c, 200, { ...state.store.list(limit, offset), limit, offset });
  });
  app.post(
    "/api/items",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HTTPException(413, { message: `Body larger than ${MAX_BODY_BYTES} bytes` });
      },
    }),
    async (c) => {
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        throw new HTTPException(400, { message: "Body is not valid JSON" });
      }
      const item = state.store.create(body);
      return send(c, 201, item, { location: `/api/items/${item.id}` });
    },
  );
  app.all("/api/items", () => {
    throw methodNotAllowed("GET, HEAD, POST");
  });
  app.on(["GET", "HEAD"], "/api/items/:id", (c) => {
    const id = c.req.param("id");
    const item = state.store.get(id);
    if (!item) throw new HTTPException(404, { message: `No item with id "${id}"` });
    return send(c, 200, item);
  });
  app.all("/api/items/:id", () => {
    throw methodNotAllowed("GET, HEAD");
  });

  app.notFound((c) =>
    send(c, 404, { error: `No route for ${c.req.path}; try /health or /api/items` }),
  );
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      const allow = err.res?.headers.get("allow");
      return send(c, err.status, { error: err.message }, allow ? { allow } : {});
    }
    if (err instanceof ItemValidationError) return send(c, 400, { error: err.message });
    log("error", "unhandled error", { path: c.req.path, error: String(err) });
    return send(c, 500, { error: "Internal error" });
  });
  return app;
}
