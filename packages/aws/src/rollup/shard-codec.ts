import { crc32 } from "node:zlib";
import { RollupCorruptError } from "../errors.ts";
import type { RollupRecord } from "./codec.ts";

const MAGIC = 0x534c4f53; // "SLOS": a shard of rollups
/** Bumped on any layout change; other versions are rebuilt, never reinterpreted. */
export const SHARD_FORMAT_VERSION = 1;
const HEADER = 4 + 2 + 2 + 4;
/** Series encodings. */
const DELTA_VARINT = 0;
const FLOAT64 = 1;
/** Largest count the integer path encodes exactly (code = count + 1 must stay exact). */
const MAX_COUNT = 2 ** 52;

/**
 * Encodes every rollup record of one shard as ONE object a shard reads in one GET:
 * magic `SLOS`, u16 version, u16 flags, u32 record count, then per record (varint
 * lengths) key, fingerprint, f64 startMs, stepMs, watermarkMs, varint step count, and
 * good then total, each as u8 mode + varint byte length + payload, and a final u32 CRC-32.
 * Counts are whole numbers almost always: they go as zigzag varints of the difference
 * between consecutive codes (code 0 = no data, else count + 1), so a steady series costs
 * ~1-2 bytes a step instead of 8. A series with any fractional value goes as raw float64,
 * so decoding is always exact (the sharded path must report what the single one does).
 *
 * @example
 * const bytes = encodeShardRollups(records);
 * decodeShardRollups(bytes, "shard-0-of-4").get(records[0].key); // equal to records[0]
 */
export function encodeShardRollups(records: readonly RollupRecord[]): Uint8Array {
  const w = new Writer(1024 + records.length * 64);
  w.u32be(MAGIC);
  w.u16(SHARD_FORMAT_VERSION);
  w.u16(0);
  w.u32(records.length);
  const text = new TextEncoder();
  for (const r of records) {
    if (r.total.length !== r.good.length) {
      throw new RangeError(
        `rollup "${r.key}": good has ${r.good.length} steps but total has ${r.total.length}`,
      );
    }
    w.bytes(text.encode(r.key));
    w.bytes(text.encode(r.fingerprint));
    w.f64(r.startMs);
    w.f64(r.stepMs);
    w.f64(r.watermarkMs);
    w.varint(r.good.length);
    for (const series of [r.good, r.total]) writeSeries(w, series);
  }
  const body = w.done();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), true);
  return out;
}

/**
 * Decodes and verifies a shard object. Throws `RollupCorruptError` naming `where` on a
 * bad magic, unknown version, checksum mismatch, truncation, or values that cannot be
 * counts; the caller rebuilds every record of the shard from CloudWatch.
 *
 * @example
 * const records = decodeShardRollups(await get("rollups/shard-0-of-4.shard"), "shard-0-of-4");
 */
export function decodeShardRollups(bytes: Uint8Array, where: string): Map<string, RollupRecord> {
  const fail = (why: string): never => {
    throw new RollupCorruptError(
      `rollup shard "${where}" is corrupt (${why}); its SLOs will be rebuilt from CloudWatch`,
    );
  };
  if (bytes.length < HEADER + 4) fail(`only ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0) !== MAGIC) fail("bad magic: not a rollup shard");
  const version = dv.getUint16(4, true);
  if (version !== SHARD_FORMAT_VERSION) {
    fail(`format version ${version}, this code reads ${SHARD_FORMAT_VERSION}`);
  }
  const crcAt = bytes.length - 4;
  if (dv.getUint32(crcAt, true) !== crc32(bytes.subarray(0, crcAt))) fail("checksum mismatch");
  const r = new Reader(bytes.subarray(0, crcAt), fail);
  r.skip(8);
  const count = r.u32();
  const text = new TextDecoder();
  const out = new Map<string, RollupRecord>();
  for (let i = 0; i < count; i++) {
    const key = text.decode(r.bytes());
    const fingerprint = text.decode(r.bytes());
    const startMs = r.f64();
    const stepMs = r.f64();
    const watermarkMs = r.f64();
    const n = r.varint();
    if (!(stepMs > 0) || !Number.isFinite(startMs) || !Number.isFinite(watermarkMs)) {
      fail(`invalid grid header of "${key}"`);
    }
    if (watermarkMs < startMs || watermarkMs > startMs + n * stepMs) {
      fail(`watermark of "${key}" outside its grid`);
    }
    const good = readSeries(r, n, key, fail);
    const total = readSeries(r, n, key, fail);
    if (out.has(key)) fail(`"${key}" appears twice`);
    out.set(key, { key, fingerprint, startMs, stepMs, watermarkMs, good, total });
  }
  if (!r.atEnd()) fail("trailing bytes after the last record");
  return out;
}

function writeSeries(w: Writer, series: Float64Array): void {
  let integral = true;
  for (const v of series) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v) || v < 0 || v >= MAX_COUNT) {
      integral = false;
      break;
    }
  }
  if (!integral) {
    w.u8(FLOAT64);
    w.varint(series.length * 8);
    for (const v of series) w.f64(v);
    return;
  }
  w.u8(DELTA_VARINT);
  const payload = new Writer(series.length + 16);
  let prev = 0;
  for (const v of series) {
    const code = Number.isNaN(v) ? 0 : v + 1;
    const d = code - prev;
    payload.varint(d >= 0 ? 2 * d : -2 * d - 1);
    prev = code;
  }
  w.bytes(payload.done());
}

function readSeries(r: Reader, n: number, key: string, fail: (why: string) => never): Float64Array {
  const mode = r.u8();
  const len = r.varint();
  const end = r.offset + len;
  const out = new Float64Array(n);
  if (mode === FLOAT64) {
    if (len !== n * 8) fail(`"${key}" has ${len} float bytes for ${n} steps`);
    for (let i = 0; i < n; i++) {
      const v = r.f64();
      if (v < 0 || v === Number.POSITIVE_INFINITY) fail(`negative or infinite count in "${key}"`);
      out[i] = v;
    }
  } else if (mode === DELTA_VARINT) {
    let code = 0;
    for (let i = 0; i < n; i++) {
      const z = r.varint();
      code += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      if (code < 0 || code > MAX_COUNT)
        fail(`negative or oversized count in "${key}" at step ${i}`);
      out[i] = code === 0 ? Number.NaN : code - 1;
    }
  } else {
    fail(`unknown series mode ${mode} in "${key}"`);
  }
  if (r.offset !== end) fail(`"${key}" series length does not match its ${n} steps`);
  return out;
}

class Writer {
  #buf: Uint8Array;
  #dv: DataView;
  #o = 0;
  constructor(size: number) {
    this.#buf = new Uint8Array(Math.max(64, size));
    this.#dv = new DataView(this.#buf.buffer);
  }
  #room(n: number): void {
    if (this.#o + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#o + n));
    next.set(this.#buf.subarray(0, this.#o));
    this.#buf = next;
    this.#dv = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.#room(1);
    this.#buf[this.#o++] = v;
  }
  u16(v: number): void {
    this.#room(2);
    this.#dv.setUint16(this.#o, v, true);
    this.#o += 2;
  }
  u32(v: number): void {
    this.#room(4);
    this.#dv.setUint32(this.#o, v, true);
    this.#o += 4;
  }
  u32be(v: number): void {
    this.#room(4);
    this.#dv.setUint32(this.#o, v);
    this.#o += 4;
  }
  f64(v: number): void {
    this.#room(8);
    this.#dv.setFloat64(this.#o, v, true);
    this.#o += 8;
  }
  /** Unsigned LEB128 of a whole number up to 2^53 (arithmetic, not 32-bit shifts). */
  varint(v: number): void {
    this.#room(8);
    let x = v;
    while (x >= 128) {
      this.#buf[this.#o++] = (x % 128) | 128;
      x = Math.floor(x / 128);
    }
    this.#buf[this.#o++] = x;
  }
  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.#room(b.length);
    this.#buf.set(b, this.#o);
    this.#o += b.length;
  }
  done(): Uint8Array {
    return this.#buf.slice(0, this.#o);
  }
}

class Reader {
  offset = 0;
  readonly #b: Uint8Array;
  readonly #dv: DataView;
  readonly #fail: (why: string) => never;
  constructor(b: Uint8Array, fail: (why: string) => never) {
    this.#b = b;
    this.#dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.#fail = fail;
  }
  #need(n: number): void {
    if (this.offset + n > this.#b.length) this.#fail("truncated");
  }
  skip(n: number): void {
    this.#need(n);
    this.offset += n;
  }
  u8(): number {
    this.#need(1);
    return this.#b[this.offset++] as number;
  }
  u32(): number {
    this.#need(4);
    const v = this.#dv.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  f64(): number {
    this.#need(8);
    const v = this.#dv.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }
  varint(): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      v += (byte & 127) * scale;
      if (byte < 128) return v;
      scale *= 128;
    }
    return this.#fail("varint longer than 8 bytes");
  }
  bytes(): Uint8Array {
    const n = this.varint();
    this.#need(n);
    const out = this.#b.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  atEnd(): boolean {
    return this.offset === this.#b.length;
  }
}
