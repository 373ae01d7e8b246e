/**
 * `@slo/core`: the pure domain of the platform. Import from the subpaths
 * (`@slo/core/spec`, `@slo/core/slo`, `@slo/core/metrics`, `@slo/core/embedded`,
 * `@slo/core/forecast`, `@slo/core/capacity`, `@slo/core/simulate`, `@slo/core/time`)
 * so a consumer loads only what it uses.
 */
export * from "./time/index.ts";
