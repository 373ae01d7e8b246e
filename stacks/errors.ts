/** A stage profile or the fleet declares something that cannot be deployed. */
export class StageConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StageConfigError";
  }
}
