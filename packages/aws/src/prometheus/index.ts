export type { AmpCredentials } from "./amp.ts";
export { ampFetch, ampRegion } from "./amp.ts";
export type { FetchLike, PrometheusSourceOptions } from "./source.ts";
export { MAX_POINTS_PER_SERIES, PrometheusMetricsSource, PrometheusQueryError } from "./source.ts";
