/** What every candidate model sees besides the data. */
export interface FitContext {
  /** Steps per day and per week on this series' grid. */
  readonly daySteps: number;
  readonly weekSteps: number;
  /** Season lengths (in steps) detected in the data, strongest first; empty when none. */
  readonly seasons: readonly number[];
  /** True when the history has no negative values (forecasts are clipped at zero). */
  readonly nonNegative: boolean;
  /** The horizon (in steps) the caller will evaluate, so models can fit for it. */
  readonly horizon: number;
}

/**
 * A model whose parameters were fitted on `y[0, fitEnd)`. `paths` forecasts `horizon`
 * steps from each origin (ascending, each `>= fitEnd`): row i of the result, entry j,
 * is the forecast for index `origins[i] + j`, using only data before `origins[i]`.
 */
export interface PreparedModel {
  readonly name: string;
  paths(origins: readonly number[], horizon: number): Float64Array;
  /** The same parameters with data-derived state (profiles) rebuilt on `y[0, end)`. */
  refit(end: number): PreparedModel;
}

/** Builds a model on `y[0, fitEnd)`, or returns null when it does not apply (too little data, zeros for a multiplicative model). */
export type ModelBuilder = (
  y: Float64Array,
  fitEnd: number,
  ctx: FitContext,
) => PreparedModel | null;
