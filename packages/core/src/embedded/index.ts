export type { EmbeddedFleetOptions, ServiceSeries } from "./fleet.ts";
export { EmbeddedFleet, EmbeddedFleetError, getEmbeddedFleet } from "./fleet.ts";
export {
  countAtOrBelow,
  countInRange,
  LATENCY_BUCKETS,
  LATENCY_EDGES,
  LATENCY_MAX_S,
  LATENCY_MIN_S,
  percentile,
} from "./histogram.ts";
export type { EmbeddedIncident, IncidentKind, ServiceProfile } from "./profiles.ts";
export {
  EMBEDDED_DEFAULT_SEED,
  EMBEDDED_FLEET_DAYS,
  EMBEDDED_FLEET_END_MS,
  EMBEDDED_INCIDENTS,
  embeddedIncidents,
  FLEET_PROFILES,
  FLEET_SERVICES,
} from "./profiles.ts";
export type { Rng } from "./random.ts";
export { createRng, deriveSeed } from "./random.ts";
export type { EmbeddedMetricsSourceOptions } from "./store.ts";
export { EmbeddedMetricsSource } from "./store.ts";
