/**
 * CloudWatch and Synthetics name rules. Names are derived from SLO and service
 * names a user writes, so they are sanitised and, when too long, shortened with a
 * stable hash suffix: two long names sharing a prefix still get distinct resources,
 * and the same input always yields the same name (no resource churn between deploys).
 */

import { SloPlatformError } from "../errors.ts";

/** Thrown when a name cannot be made valid (for example it has no usable characters). */
export class MonitoringNameError extends SloPlatformError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "input", options);
    this.name = "MonitoringNameError";
  }
}

/** CloudWatch dashboard names: 1-255 characters of `A-Za-z0-9-_`. */
export const DASHBOARD_NAME_MAX = 255;
/** CloudWatch alarm names: 1-255 characters. */
export const ALARM_NAME_MAX = 255;
/** Synthetics canary names: 1-21 characters of `0-9a-z_-`. */
export const CANARY_NAME_MAX = 21;

const DASHBOARD_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;
// Alarm names accept any printable ASCII; we keep to a conservative set that is also
// safe inside ARNs, dashboard alarm widgets and SNS message subjects.
const ALARM_NAME_RE = /^[A-Za-z0-9_.:-]{1,255}$/;
const CANARY_NAME_RE = /^[0-9a-z_-]{1,21}$/;

/** True when `name` is a valid CloudWatch dashboard name. */
export function isValidDashboardName(name: string): boolean {
  return DASHBOARD_NAME_RE.test(name);
}

/** True when `name` is a valid (conservative) CloudWatch alarm name. */
export function isValidAlarmName(name: string): boolean {
  return ALARM_NAME_RE.test(name);
}

/** True when `name` is a valid Synthetics canary name. */
export function isValidCanaryName(name: string): boolean {
  return CANARY_NAME_RE.test(name);
}

/** FNV-1a 32-bit, base36: short, stable, dependency-free. Not for security. */
export function shortHash(input: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, "0");
}

function fit(clean: string, original: string, max: number, label: string): string {
  const trimmed = clean.replace(/^[-_.:]+|[-_.:]+$/g, "");
  if (trimmed.length === 0) {
    throw new MonitoringNameError(
      `${label} name derived from "${original}" is empty after removing unsupported characters: use letters, digits or "-" in the SLO/service name`,
    );
  }
  if (trimmed.length <= max) return trimmed;
  const suffix = `-${shortHash(original)}`;
  return `${trimmed.slice(0, max - suffix.length).replace(/[-_.:]+$/, "")}${suffix}`;
}

/**
 * A valid dashboard name from free text: unsupported characters become `-`, and a
 * name over 255 characters is cut and given a hash suffix.
 *
 * @example
 * dashboardName("slo prod/order-service"); // "slo-prod-order-service"
 */
export function dashboardName(raw: string): string {
  return fit(raw.replace(/[^A-Za-z0-9_-]+/g, "-"), raw, DASHBOARD_NAME_MAX, "Dashboard");
}

/**
 * A valid alarm name from free text (see {@link dashboardName} for the rules).
 *
 * @example
 * alarmName("prod-order-service-availability-burn-page 1h"); // "prod-order-service-availability-burn-page-1h"
 */
export function alarmName(raw: string): string {
  return fit(raw.replace(/[^A-Za-z0-9_.:-]+/g, "-"), raw, ALARM_NAME_MAX, "Alarm");
}

/**
 * The Synthetics canary name of a service: lower-case, `0-9a-z_-`, at most 21
 * characters (the Synthetics limit). `CanaryName` on `CloudWatchSynthetics` metrics
 * has this value, so infra and alarms must both use this function.
 *
 * `stage` keeps two stages in one account and region apart (canary names are unique
 * per region).
 *
 * @example
 * canaryName("notification-service"); // "notification-service" (20 characters)
 * canaryName("very-long-payments-reconciliation-service"); // "very-long-pay-1x2y3z4" style
 * canaryName("order-service", "dev"); // "dev-order-service"
 */
export function canaryName(service: string, stage?: string): string {
  const raw = stage ? `${stage}-${service}` : service;
  return fit(raw.toLowerCase().replace(/[^0-9a-z_-]+/g, "-"), raw, CANARY_NAME_MAX, "Canary");
}
