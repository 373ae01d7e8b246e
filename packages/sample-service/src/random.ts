/**
 * Seedable randomness for latency and fault injection: with a seed, a test run is
 * reproducible; without one, each process differs (so replicas don't fail in lockstep).
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG, plenty for simulation (not for security). The same
 * generator as `createRng` in `@slo/core/embedded`, kept here on purpose: the image is
 * built from this folder alone (see the Dockerfile) and installs only registry
 * packages, so it cannot reach the workspace's `@slo/core`; pulling in all of core for
 * ten lines would also grow the image for every fleet service.
 *
 * @example
 * const rand = seededRandom(42); rand(); // same sequence on every run
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded when `seed` is given, `Math.random` otherwise. */
export function makeRandom(seed?: number): Random {
  return seed === undefined ? Math.random : seededRandom(seed);
}

/** A standard normal sample (Box-Muller). */
export function standardNormal(rand: Random): number {
  // 1 - u keeps the log argument in (0, 1]: log(0) would be -Infinity.
  const u1 = 1 - rand();
  const u2 = rand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * A log-normal sample with the given median: `median * exp(sigma * Z)`. Request
 * latencies are roughly log-normal: most fast, a long right tail.
 *
 * @example
 * logNormal(seededRandom(1), 20, 0.5); // ~20 ms typical, occasionally 60+
 */
export function logNormal(rand: Random, median: number, sigma: number): number {
  if (median <= 0) return 0;
  return median * Math.exp(sigma * standardNormal(rand));
}
