import { SloPlatformError } from "../errors.ts";
/**
 * A usage figure the cost model cannot price (negative, NaN or infinite).
 *
 * @example
 * try { priceUsage({ ...usage, customMetrics: -1 }); } catch (e) { e instanceof CostModelError; }
 */
export class CostModelError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "CostModelError";
  }
}
