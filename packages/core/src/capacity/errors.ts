/** Thrown for capacity inputs that cannot give a plan; the message names the field. */
export class CapacityError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CapacityError";
  }
}
