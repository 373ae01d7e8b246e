/** A problem in the app's inputs (fleet, stage, SLO files, sources) found while composing it. */
export class InfraConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InfraConfigError";
  }
}
