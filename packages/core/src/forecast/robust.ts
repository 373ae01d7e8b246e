/**
 * Huber-style clipping of one-step errors for the smoothing recursions. A spike is
 * clipped to a few times the running mean absolute error, so one bad minute cannot
 * drag the level for days; but when several errors in a row are clipped on the same
 * side the data has really moved (a level shift) and the full error is let through.
 */
export interface ClipState {
  /** Running mean absolute error (EWMA) that sets the clip threshold. */
  scale: number;
  /** Consecutive clipped errors on the same side: positive above, negative below. */
  run: number;
}

const CLIP_K = 3.5;
const SCALE_ALPHA = 0.05;
const SHIFT_RUN = 4;

/** Starts a clip state from a typical absolute error (e.g. mean absolute first difference). */
export function newClip(typicalAbsError: number): ClipState {
  return { scale: typicalAbsError > 0 ? typicalAbsError : 1e-9, run: 0 };
}

/** Returns the error to feed the recursion and updates the state. */
export function clipError(e: number, st: ClipState): number {
  const limit = CLIP_K * st.scale;
  let out = e;
  if (e > limit) {
    st.run = st.run > 0 ? st.run + 1 : 1;
    out = st.run >= SHIFT_RUN ? e : limit;
  } else if (e < -limit) {
    st.run = st.run < 0 ? st.run - 1 : -1;
    out = -st.run >= SHIFT_RUN ? e : -limit;
  } else {
    st.run = 0;
  }
  st.scale += SCALE_ALPHA * (Math.min(Math.abs(e), limit) - st.scale);
  return out;
}

/** Mean absolute first difference of the present values: the starting clip scale. */
export function typicalStep(y: Float64Array, from: number, to: number): number {
  let s = 0;
  let c = 0;
  let prev = Number.NaN;
  for (let i = from; i < to; i++) {
    const v = y[i] as number;
    if (!Number.isFinite(v)) continue;
    if (Number.isFinite(prev)) {
      s += Math.abs(v - prev);
      c++;
    }
    prev = v;
  }
  return c === 0 ? 1 : s / c;
}
