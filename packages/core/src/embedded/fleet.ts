import { SloPlatformError } from "../errors.ts";
import { LATENCY_BUCKETS, LATENCY_LOG_EDGES } from "./histogram.ts";
import {
  EMBEDDED_DEFAULT_SEED,
  EMBEDDED_FLEET_DAYS,
  EMBEDDED_FLEET_END_MS,
  type EmbeddedIncident,
  embeddedIncidents,
  FLEET_PROFILES,
  type ServiceProfile,
} from "./profiles.ts";
import { binomial, createRng, deriveSeed, normal, normalCdf, poisson, type Rng } from "./random.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Thrown for bad generator options or an unknown service. */
export class EmbeddedFleetError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "EmbeddedFleetError";
  }
}

export interface EmbeddedFleetOptions {
  /** Same seed -> bit-identical data. Default {@link EMBEDDED_DEFAULT_SEED}. */
  readonly seed?: number;
  /** End instant (exclusive), epoch ms, a whole minute. Default {@link EMBEDDED_FLEET_END_MS}. */
  readonly endMs?: number;
  /** Days of history before `endMs`. Default {@link EMBEDDED_FLEET_DAYS}. */
  readonly days?: number;
}

/**
 * One service's generated minutes. ALB series are `NaN` in minutes without requests
 * (CloudWatch publishes nothing then); `latency` holds `LATENCY_BUCKETS` counts per minute.
 */
export interface ServiceSeries {
  readonly service: string;
  readonly startMs: number;
  readonly minutes: number;
  readonly requestCount: Float64Array;
  readonly http2xx: Float64Array;
  readonly http4xx: Float64Array;
  readonly http5xx: Float64Array;
  readonly elb5xx: Float64Array;
  readonly connectionErrors: Float64Array;
  /** Responses timed (requests minus connection errors): TargetResponseTime's SampleCount. */
  readonly latencySamples: Float64Array;
  readonly latency: Uint16Array;
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  readonly runningTasks: Float64Array;
}

// Standard normal CDF tabulated once: the generator needs ~40 CDFs per service-minute.
const CDF_Z_MAX = 8;
const CDF_PER_UNIT = 512;
const CDF_TABLE = Float64Array.from({ length: 2 * CDF_Z_MAX * CDF_PER_UNIT + 1 }, (_, i) =>
  normalCdf(i / CDF_PER_UNIT - CDF_Z_MAX),
);

function cdf(z: number): number {
  if (z <= -CDF_Z_MAX) return 0;
  if (z >= CDF_Z_MAX) return 1;
  const x = (z + CDF_Z_MAX) * CDF_PER_UNIT;
  const i = Math.floor(x);
  const a = CDF_TABLE[i] as number;
  return a + ((CDF_TABLE[i + 1] as number) - a) * (x - i);
}

/**
 * Spreads `n` samples of a log-normal(mu, sigma) over the buckets by systematic sampling:
 * integer counts, exact total, unbiased per bucket, ~40 operations.
 */
function fillLatency(
  out: Uint16Array,
  offset: number,
  n: number,
  mu: number,
  sigma: number,
  u: number,
): void {
  let prev = Math.floor(u);
  for (let k = 0; k < LATENCY_BUCKETS; k++) {
    const c =
      k === LATENCY_BUCKETS - 1 ? 1 : cdf(((LATENCY_LOG_EDGES[k + 1] as number) - mu) / sigma);
    const cur = Math.floor(n * c + u);
    out[offset + k] = cur - prev;
    prev = cur;
  }
}

interface Active {
  errorRatio: number;
  latencyMedian: number;
  noTraffic: boolean;
}

function activeAt(incidents: readonly EmbeddedIncident[], t: number, base: Active): Active {
  let a = base;
  for (const inc of incidents) {
    if (t < inc.startMs || t >= inc.endMs) continue;
    if (a === base) a = { ...base };
    if (inc.kind === "error_rate") a.errorRatio = Math.max(a.errorRatio, inc.magnitude);
    else if (inc.kind === "latency") a.latencyMedian = inc.magnitude;
    else a.noTraffic = true;
  }
  return a;
}

function generateService(
  profile: ServiceProfile,
  seed: number,
  startMs: number,
  minutes: number,
  incidents: readonly EmbeddedIncident[],
): ServiceSeries {
  const rng: Rng = createRng(deriveSeed(seed, profile.name));
  const nanArray = () => new Float64Array(minutes).fill(Number.NaN);
  const s: ServiceSeries = {
    service: profile.name,
    startMs,
    minutes,
    requestCount: nanArray(),
    http2xx: nanArray(),
    http4xx: nanArray(),
    http5xx: nanArray(),
    elb5xx: nanArray(),
    connectionErrors: nanArray(),
    latencySamples: nanArray(),
    latency: new Uint16Array(minutes * LATENCY_BUCKETS),
    cpu: new Float64Array(minutes),
    memory: new Float64Array(minutes),
    runningTasks: new Float64Array(minutes),
  };
  const mine = incidents.filter((i) => i.service === profile.name);
  const base: Active = {
    errorRatio: profile.errorRatio,
    latencyMedian: profile.latencyMedianS,
    noTraffic: false,
  };
  // One task serves half the base rate at 100 % CPU; target tracking aims at ~60 %.
  const taskCapacity = profile.baseRpm / 2;
  let tasks = Math.max(profile.minTasks, Math.ceil(profile.baseRpm / (taskCapacity * 0.6)));
  let lastScaleIn = 0;
  let windowLoad = 0;
  let drift = 0;
  for (let i = 0; i < minutes; i++) {
    const t = startMs + i * MINUTE_MS;
    const hour = (t % DAY_MS) / 3_600_000;
    const weekday = (Math.floor(t / DAY_MS) + 4) % 7; // 1970-01-01 was a Thursday
    const daily = 1 + 0.55 * Math.cos((2 * Math.PI * (hour - profile.peakHourUtc)) / 24);
    const weekly = weekday === 0 || weekday === 6 ? 0.65 : 1;
    const trend = 1 + (profile.growth * i) / minutes;
    drift = 0.995 * drift + 0.01 * normal(rng);
    const rate = profile.baseRpm * daily * weekly * trend * Math.exp(drift + 0.03 * normal(rng));
    const active = activeAt(mine, t, base);
    const requests = active.noTraffic ? 0 : poisson(rng, rate);
    windowLoad += requests;

    if (requests > 0) {
      const e5 = binomial(rng, requests, active.errorRatio);
      const conn = binomial(rng, requests - e5, 2e-5);
      const e4 = binomial(rng, requests - e5 - conn, profile.clientErrorRatio);
      s.requestCount[i] = requests;
      s.http5xx[i] = e5;
      s.connectionErrors[i] = conn;
      s.http4xx[i] = e4;
      s.http2xx[i] = requests - e5 - conn - e4;
      s.elb5xx[i] = binomial(rng, requests, 1e-5);
      const timed = requests - conn;
      s.latencySamples[i] = timed;
      // Latency rises a little with load; an incident pins the median instead.
      const loadEffect = active.latencyMedian === base.latencyMedian ? 0.08 * (daily - 1) : 0;
      const mu = Math.log(active.latencyMedian) + loadEffect + 0.03 * normal(rng);
      fillLatency(s.latency, i * LATENCY_BUCKETS, timed, mu, profile.latencySigma, rng());
    }

    // A reactive scaler every 5 minutes: out at once, in by one task per 15 minutes.
    if (i % 5 === 4) {
      const wanted = Math.max(profile.minTasks, Math.ceil(windowLoad / 5 / (taskCapacity * 0.6)));
      if (wanted > tasks) tasks = wanted;
      else if (wanted < tasks && i - lastScaleIn >= 15) {
        tasks--;
        lastScaleIn = i;
      }
      windowLoad = 0;
    }
    const busy = (100 * requests) / (tasks * taskCapacity);
    const cpu = Math.min(100, Math.max(1, 4 + 0.9 * busy + 1.5 * normal(rng)));
    s.cpu[i] = cpu;
    s.memory[i] = Math.min(100, Math.max(1, 35 + 0.15 * cpu + 1.5 * normal(rng)));
    s.runningTasks[i] = tasks;
  }
  return s;
}

/**
 * The deterministic embedded fleet: ten services of 1-minute ALB-like and ECS data,
 * generated lazily per service and cached.
 *
 * @example
 * const fleet = new EmbeddedFleet({ seed: 7 });
 * fleet.service("payment-service").requestCount.length; // 35 * 1440
 */
export class EmbeddedFleet {
  readonly seed: number;
  readonly endMs: number;
  readonly days: number;
  readonly startMs: number;
  readonly minutes: number;
  readonly incidents: readonly EmbeddedIncident[];
  private readonly cache = new Map<string, ServiceSeries>();

  constructor(options: EmbeddedFleetOptions = {}) {
    this.seed = options.seed ?? EMBEDDED_DEFAULT_SEED;
    this.endMs = options.endMs ?? EMBEDDED_FLEET_END_MS;
    this.days = options.days ?? EMBEDDED_FLEET_DAYS;
    if (!Number.isInteger(this.seed)) {
      throw new EmbeddedFleetError(`seed ${this.seed} is not an integer: pass e.g. --seed 42`);
    }
    if (!Number.isFinite(this.endMs) || this.endMs % MINUTE_MS !== 0) {
      throw new EmbeddedFleetError(
        `end ${this.endMs} is not a whole minute (epoch ms): round it to a multiple of 60000`,
      );
    }
    if (!(this.days > 0) || !Number.isInteger(this.days * 1440)) {
      throw new EmbeddedFleetError(
        `days ${this.days} must be a positive number of whole minutes: write e.g. 35`,
      );
    }
    this.minutes = this.days * 1440;
    this.startMs = this.endMs - this.minutes * MINUTE_MS;
    this.incidents = embeddedIncidents(this.endMs);
  }

  /** The services' names in a stable order. */
  get services(): string[] {
    return FLEET_PROFILES.map((s) => s.name);
  }

  /** One service's series (generated on first use). */
  service(name: string): ServiceSeries {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const profile = FLEET_PROFILES.find((s) => s.name === name);
    if (!profile) {
      throw new EmbeddedFleetError(
        `unknown service "${name}": the embedded fleet has ${this.services.join(", ")}`,
      );
    }
    const series = generateService(profile, this.seed, this.startMs, this.minutes, this.incidents);
    this.cache.set(name, series);
    return series;
  }
}

const SHARED = new Map<string, EmbeddedFleet>();

/**
 * A process-wide cached fleet for these options, so several sources (and commands) on
 * the same seed generate each service once.
 *
 * @example
 * getEmbeddedFleet() === getEmbeddedFleet(); // true
 */
export function getEmbeddedFleet(options: EmbeddedFleetOptions = {}): EmbeddedFleet {
  const fleet = new EmbeddedFleet(options);
  const key = `${fleet.seed}|${fleet.endMs}|${fleet.days}`;
  const cached = SHARED.get(key);
  if (cached) return cached;
  if (SHARED.size >= 4) SHARED.delete(SHARED.keys().next().value as string);
  SHARED.set(key, fleet);
  return fleet;
}
