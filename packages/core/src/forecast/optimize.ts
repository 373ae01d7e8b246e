/**
 * Nelder-Mead minimisation in an unconstrained space. Small and allocation-light
 * because it runs inside every model fit.
 *
 * @example
 * const best = nelderMead((x) => (x[0]! - 1) ** 2 + (x[1]! + 2) ** 2, [0, 0], { maxEvals: 200 });
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  start: readonly number[],
  opts: { maxEvals: number; step?: number; tol?: number },
): { x: Float64Array; value: number } {
  const n = start.length;
  const step = opts.step ?? 0.5;
  const tol = opts.tol ?? 1e-6;
  const pts: Float64Array[] = [];
  const vals: number[] = [];
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(start);
    if (i > 0) p[i - 1] = (p[i - 1] as number) + step;
    pts.push(p);
    vals.push(f(p));
  }
  let evals = n + 1;
  const centroid = new Float64Array(n);
  const trial = new Float64Array(n);
  const trial2 = new Float64Array(n);
  const order = pts.map((_, i) => i);
  while (evals < opts.maxEvals) {
    order.sort((a, b) => (vals[a] as number) - (vals[b] as number));
    const best = order[0] as number;
    const worst = order[n] as number;
    const second = order[n - 1] as number;
    if (
      Math.abs((vals[worst] as number) - (vals[best] as number)) <=
      tol * (Math.abs(vals[best] as number) + 1e-12)
    )
      break;
    centroid.fill(0);
    for (let i = 0; i <= n; i++) {
      if (i === worst) continue;
      const p = pts[i] as Float64Array;
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (p[j] as number) / n;
    }
    const w = pts[worst] as Float64Array;
    for (let j = 0; j < n; j++) trial[j] = 2 * (centroid[j] as number) - (w[j] as number);
    const fr = f(trial);
    evals++;
    if (fr < (vals[best] as number)) {
      for (let j = 0; j < n; j++) trial2[j] = 3 * (centroid[j] as number) - 2 * (w[j] as number);
      const fe = f(trial2);
      evals++;
      if (fe < fr) {
        w.set(trial2);
        vals[worst] = fe;
      } else {
        w.set(trial);
        vals[worst] = fr;
      }
    } else if (fr < (vals[second] as number)) {
      w.set(trial);
      vals[worst] = fr;
    } else {
      for (let j = 0; j < n; j++) trial[j] = 0.5 * ((centroid[j] as number) + (w[j] as number));
      const fc = f(trial);
      evals++;
      if (fc < (vals[worst] as number)) {
        w.set(trial);
        vals[worst] = fc;
      } else {
        const b = pts[best] as Float64Array;
        for (let i = 0; i <= n; i++) {
          if (i === best) continue;
          const p = pts[i] as Float64Array;
          for (let j = 0; j < n; j++) p[j] = 0.5 * ((p[j] as number) + (b[j] as number));
          vals[i] = f(p);
          evals++;
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if ((vals[i] as number) < (vals[bi] as number)) bi = i;
  return { x: pts[bi] as Float64Array, value: vals[bi] as number };
}

/** Maps an unconstrained real to (lo, hi). */
export function squash(x: number, lo: number, hi: number): number {
  return lo + (hi - lo) / (1 + Math.exp(-x));
}
