/** The benchmark fleet: N synthetic SLOs (the four fleet conventions per service). */
import {
  encodeShardRollups,
  type RollupRecord,
  sloRollupSpecs,
} from "../../packages/aws/src/index.ts";
import type { SloDefinition } from "../../packages/core/src/spec/index.ts";
import { fleetServiceSlos } from "../../packages/core/testing/fleet-slos.ts";

export const STEP_MS = 300_000;

export function syntheticFleet(slos: number): SloDefinition[] {
  const services = Math.ceil(slos / 4);
  return Array.from({ length: services }, (_, i) => fleetServiceSlos(`svc-${i}`))
    .flat()
    .slice(0, slos);
}

/** Deterministic counts shaped like ALB traffic (daily cycle, a few errors). */
function counts(n: number, seed: number, stepsPerDay: number) {
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    const t = Math.round(1000 + 400 * Math.sin((2 * Math.PI * i) / stepsPerDay) + (s % 60));
    total[i] = t;
    good[i] = t - (s % 3);
  }
  return { good, total };
}

/**
 * The rollup records of `defs` as a finished run at `watermarkMs` would have stored them
 * (full retention on `stepMs`), so a benchmark can start from the steady state.
 */
export function steadyRecords(
  defs: readonly SloDefinition[],
  watermarkMs: number,
  stepMs = STEP_MS,
): RollupRecord[] {
  return sloRollupSpecs(defs).map((spec, i) => {
    const n = Math.ceil(spec.retentionMs / stepMs);
    return {
      key: spec.key,
      fingerprint: spec.fingerprint,
      startMs: watermarkMs - n * stepMs,
      stepMs,
      watermarkMs,
      ...counts(n, i + 1, 86_400_000 / stepMs),
    };
  });
}

export { encodeShardRollups };
