import { SloPlatformError } from "../errors.ts";

/**
 * Thrown when the inputs handed to the SLO engine do not fit together (for example one
 * count series per objective was expected, or the series use different grids). The
 * message names the SLO's file and field and says what to pass instead.
 *
 * @example
 * try { evaluateSlo(def, [], Date.now()); } catch (e) { if (e instanceof SloEvaluationError) console.error(e.message); }
 */
export class SloEvaluationError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "SloEvaluationError";
  }
}

/**
 * Thrown when an SLO time window cannot be resolved, e.g. an unknown IANA time zone in a
 * calendar window.
 *
 * @example
 * try { resolveWindow(def, Date.now()); } catch (e) { if (e instanceof SloWindowError) console.error(e.message); }
 */
export class SloWindowError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "SloWindowError";
  }
}
