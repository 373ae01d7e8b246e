/**
 * List prices the mesh adds (us-east-1, checked 2026-12-01 on aws.amazon.com/private-ca/pricing
 * and /vpc/lattice/pricing). Security groups, Service Connect itself and the ECS
 * infrastructure role are free; Service Connect's Envoy runs inside the task's own CPU
 * and memory. Not modelled: Private CA's per-certificate fee for the short-lived
 * certificates ECS issues (one per service, renewed within their 7-day validity), and
 * Lattice's per-request charge (first 300,000 requests an hour per service free).
 */
export const MESH_PRICES_USD = {
  /** Private CA in SHORT_LIVED_CERTIFICATE mode, per CA per month. */
  privateCaShortLivedMonth: 50,
  /** The same CA in GENERAL_PURPOSE mode, which the mesh does not use. */
  privateCaGeneralPurposeMonth: 400,
  /** One Lattice service (per service-hour). */
  latticeServiceHour: 0.025,
  /** Data processed by a Lattice service, per GB. */
  latticePerGb: 0.025,
  hoursPerMonth: 730,
} as const;
