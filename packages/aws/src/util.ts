/** Runs `fn` over `items` with at most `limit` in flight, keeping result order. */
export async function runLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}

/** A `Float64Array` of `n` NaN (no data). */
export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}
