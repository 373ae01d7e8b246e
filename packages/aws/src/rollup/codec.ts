import { crc32 } from "node:zlib";
import { RollupCorruptError } from "../errors.ts";

/**
 * The stored state of one SLO objective: per-step good/total counts on a fixed grid and
 * the watermark up to which they are final (minus the overlap re-read for late data).
 */
export interface RollupRecord {
  /** `<slo>/<objective>`. */
  readonly key: string;
  /** Identity of the queries the counts came from; a change forces a rebuild. */
  readonly fingerprint: string;
  readonly startMs: number;
  readonly stepMs: number;
  /** End (exclusive) of the steps fetched so far. */
  readonly watermarkMs: number;
  readonly good: Float64Array;
  readonly total: Float64Array;
}

const MAGIC = 0x534c4f52; // "SLOR"
/** Bumped on any layout change; older versions are rebuilt, never reinterpreted. */
export const ROLLUP_FORMAT_VERSION = 1;
const FIXED_HEADER = 4 + 2 + 2 + 8 + 8 + 8 + 4 + 2 + 2;

/**
 * Encodes a record as: magic `SLOR`, u16 version, u16 flags, f64 stepMs, f64 startMs,
 * f64 watermarkMs, u32 length, u16 key bytes, u16 fingerprint bytes, key, fingerprint,
 * good (f64 LE x length), total (f64 LE x length), u32 CRC-32 of all preceding bytes.
 * Raw float64 keeps NaN (no data) distinct from 0 and is ~16 bytes per step (~138 KB for
 * 30 days of 5-minute steps).
 *
 * @example
 * const bytes = encodeRollup(record);
 * decodeRollup(bytes, record.key).watermarkMs === record.watermarkMs; // true
 */
export function encodeRollup(r: RollupRecord): Uint8Array {
  const n = r.good.length;
  if (r.total.length !== n) {
    throw new RangeError(`rollup "${r.key}": good has ${n} steps but total has ${r.total.length}`);
  }
  const key = new TextEncoder().encode(r.key);
  const fp = new TextEncoder().encode(r.fingerprint);
  const size = FIXED_HEADER + key.length + fp.length + 16 * n + 4;
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  let o = 0;
  dv.setUint32(o, MAGIC);
  o += 4;
  dv.setUint16(o, ROLLUP_FORMAT_VERSION, true);
  o += 2;
  dv.setUint16(o, 0, true);
  o += 2;
  dv.setFloat64(o, r.stepMs, true);
  o += 8;
  dv.setFloat64(o, r.startMs, true);
  o += 8;
  dv.setFloat64(o, r.watermarkMs, true);
  o += 8;
  dv.setUint32(o, n, true);
  o += 4;
  dv.setUint16(o, key.length, true);
  o += 2;
  dv.setUint16(o, fp.length, true);
  o += 2;
  buf.set(key, o);
  o += key.length;
  buf.set(fp, o);
  o += fp.length;
  for (const arr of [r.good, r.total]) {
    for (let i = 0; i < n; i++, o += 8) dv.setFloat64(o, arr[i] as number, true);
  }
  dv.setUint32(o, crc32(buf.subarray(0, o)), true);
  return buf;
}

/**
 * Decodes and verifies a rollup object. Throws `RollupCorruptError` (naming `where`) on a
 * bad magic, unknown version, size mismatch, checksum mismatch, a key that is not the
 * expected one, or values that cannot be counts.
 *
 * @example
 * decodeRollup(await store.getBytes(), "user-service-availability/objective-1");
 */
export function decodeRollup(bytes: Uint8Array, expectedKey: string): RollupRecord {
  const fail = (why: string): never => {
    throw new RollupCorruptError(
      `rollup object for "${expectedKey}" is corrupt (${why}); it will be rebuilt from CloudWatch`,
    );
  };
  if (bytes.length < FIXED_HEADER + 4) fail(`only ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0) !== MAGIC) fail("bad magic: not a rollup object");
  const version = dv.getUint16(4, true);
  if (version !== ROLLUP_FORMAT_VERSION) {
    fail(`format version ${version}, this code reads ${ROLLUP_FORMAT_VERSION}`);
  }
  const stepMs = dv.getFloat64(8, true);
  const startMs = dv.getFloat64(16, true);
  const watermarkMs = dv.getFloat64(24, true);
  const n = dv.getUint32(32, true);
  const keyLen = dv.getUint16(36, true);
  const fpLen = dv.getUint16(38, true);
  const expected = FIXED_HEADER + keyLen + fpLen + 16 * n + 4;
  if (bytes.length !== expected) fail(`size ${bytes.length} bytes, header says ${expected}`);
  const crcAt = bytes.length - 4;
  if (dv.getUint32(crcAt, true) !== crc32(bytes.subarray(0, crcAt))) fail("checksum mismatch");
  let o = FIXED_HEADER;
  const key = new TextDecoder().decode(bytes.subarray(o, o + keyLen));
  o += keyLen;
  const fingerprint = new TextDecoder().decode(bytes.subarray(o, o + fpLen));
  o += fpLen;
  if (key !== expectedKey) fail(`it holds "${key}"`);
  if (!(stepMs > 0) || !Number.isFinite(startMs) || !Number.isFinite(watermarkMs)) {
    fail("invalid grid header");
  }
  if (watermarkMs < startMs || watermarkMs > startMs + n * stepMs)
    fail("watermark outside the grid");
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  for (const arr of [good, total]) {
    for (let i = 0; i < n; i++, o += 8) {
      const v = dv.getFloat64(o, true);
      if (v < 0 || v === Number.POSITIVE_INFINITY) fail(`negative or infinite count at step ${i}`);
      arr[i] = v;
    }
  }
  return { key, fingerprint, startMs, stepMs, watermarkMs, good, total };
}
