/**
 * `user-service` -> `UserService`: SST component names must be unique identifiers.
 *
 * @example
 * componentName("payment-service"); // "PaymentService"
 */
export function componentName(serviceName: string): string {
  return serviceName
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}
