/**
 * A loopback CloudWatch for benchmarks: an HTTP server on 127.0.0.1 that speaks the
 * protocol the SDK's CloudWatch client uses (AWS JSON 1.0, `GraniteServiceVersion20100801`
 * target, awsQuery-compatible errors), answers GetMetricData with synthetic ALB-like
 * counts, and enforces GetMetricData's default quota (50 requests per second, account
 * wide) by answering `Throttling` above it, as CloudWatch does. The real clients, with
 * their adaptive retries, talk to it over HTTP: what is counted is what they send.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoopbackCloudWatchStats {
  calls: number;
  throttled: number;
  metricsRequested: number;
  datapoints: number;
  /** Accepted GetMetricData requests per wall-clock second. */
  perSecond: Map<number, number>;
}

interface Query {
  Id: string;
  ReturnData?: boolean;
  Expression?: string;
  MetricStat?: { Metric?: { MetricName?: string }; Period?: number; Stat?: string };
}

/**
 * Per-step values by metric and stat, scaled to the period; undefined = no data. Traffic
 * follows a daily cycle and CPU follows traffic per task, so the forecast and the
 * capacity estimate have something to fit.
 */
function syntheticValue(q: Query, periodS: number, tS: number): number | undefined {
  const name = q.MetricStat?.Metric?.MetricName;
  const stat = q.MetricStat?.Stat ?? "";
  const scale = periodS / 300;
  const load = 1 + 0.5 * Math.sin((2 * Math.PI * tS) / 86_400);
  const requests = Math.round(1000 * load * scale);
  if (name === "RequestCount") return requests;
  if (name === "HTTPCode_Target_5XX_Count") return Math.round(1 * scale);
  if (name === "TargetConnectionErrorCount") return undefined;
  if (name === "RunningTaskCount") return 4;
  if (name === "CPUUtilization") return 5 + 40 * load;
  if (stat === "SampleCount") return requests;
  if (stat.startsWith("TC(")) return Math.round(0.99 * requests);
  return 0.1;
}

function toSeconds(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return Date.parse(v) / 1000;
  throw new Error(`unreadable timestamp ${String(v)}`);
}

export class LoopbackCloudWatch {
  readonly stats: LoopbackCloudWatchStats = {
    calls: 0,
    throttled: 0,
    metricsRequested: 0,
    datapoints: 0,
    perSecond: new Map(),
  };
  readonly #server: Server;
  readonly #tps: number;
  readonly #latencyMs: number;
  /** Start times of accepted requests in the last second (sliding window). */
  #window: number[] = [];

  constructor(opts: { tps: number; latencyMs: number }) {
    this.#tps = opts.tps;
    this.#latencyMs = opts.latencyMs;
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const target = String(req.headers["x-amz-target"] ?? "");
        const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
          setTimeout(() => {
            res.writeHead(status, { "content-type": "application/x-amz-json-1.0", ...headers });
            res.end(JSON.stringify(body));
          }, this.#latencyMs).unref();
        if (!target.endsWith(".GetMetricData")) {
          reply(400, { __type: "InvalidAction", message: `unsupported ${target}` });
          return;
        }
        const now = Date.now();
        this.#window = this.#window.filter((t) => t > now - 1000);
        if (this.#window.length >= this.#tps) {
          this.stats.throttled++;
          reply(
            400,
            { __type: "Throttling", message: "Rate exceeded" },
            { "x-amzn-query-error": "Throttling;Sender" },
          );
          return;
        }
        this.#window.push(now);
        this.stats.calls++;
        const sec = Math.floor(now / 1000);
        this.stats.perSecond.set(sec, (this.stats.perSecond.get(sec) ?? 0) + 1);
        reply(200, this.#answer(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
      });
    });
  }

  #answer(input: { MetricDataQueries?: Query[]; StartTime: unknown; EndTime: unknown }) {
    const queries = input.MetricDataQueries ?? [];
    const start = toSeconds(input.StartTime);
    const end = toSeconds(input.EndTime);
    const byId = new Map(queries.map((q) => [q.Id, q]));
    this.stats.metricsRequested += queries.filter((q) => q.MetricStat).length;
    const results = queries
      .filter((q) => q.ReturnData !== false)
      .map((q) => {
        const inputs = q.MetricStat
          ? [q]
          : (q.Expression?.match(/[a-z][a-zA-Z0-9_]*/g) ?? [])
              .map((id) => byId.get(id))
              .filter((m): m is Query => m?.MetricStat !== undefined);
        const period = inputs[0]?.MetricStat?.Period ?? 60;
        const ts: number[] = [];
        const vs: number[] = [];
        for (let t = start; t < end; t += period) {
          let sum = 0;
          let any = false;
          for (const m of inputs) {
            const v = syntheticValue(m, period, t);
            if (v !== undefined) {
              sum += v;
              any = true;
            } else if (q.MetricStat) any = false;
          }
          if (!any) continue;
          ts.push(t);
          vs.push(sum);
        }
        this.stats.datapoints += vs.length;
        return { Id: q.Id, Label: q.Id, Timestamps: ts, Values: vs, StatusCode: "Complete" };
      });
    return { MetricDataResults: results, Messages: [] };
  }

  /** Highest accepted requests in any wall-clock second. */
  peakTps(): number {
    return Math.max(0, ...this.stats.perSecond.values());
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
