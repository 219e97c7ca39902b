import { VARIABLE_CODE } from "@/domain/measurements/types";
import { QUALITY } from "@/domain/measurements/quality";
import type { StoredRow } from "./types";

/*
 * COPY … (FORMAT binary) encoder for MEASUREMENT_COLUMNS. Binary spares PostgreSQL the text parsing of
 * timestamptz and float8 (the dearest part of a text COPY row) and Node the toISOString/escaping per row.
 */

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO32 = 2 ** 32;
const FIELDS = 12;
/** Bytes of one row without its text fields: field count + 12 length words + fixed-width values. */
const FIXED_BYTES = 2 + FIELDS * 4 + 4 + 2 + 8 + 8 + 2 + 8 + 2;

class Writer {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  i16(v: number): void {
    this.pos = this.buf.writeInt16BE(v, this.pos);
  }
  i32(v: number): void {
    this.pos = this.buf.writeInt32BE(v, this.pos);
  }
  /** int64 from a safe integer (two's complement split into words). */
  i64(v: number): void {
    const hi = Math.floor(v / TWO32);
    this.pos = this.buf.writeInt32BE(hi, this.pos);
    this.pos = this.buf.writeUInt32BE(v - hi * TWO32, this.pos);
  }
  text(v: string | null): void {
    if (v === null) return this.i32(-1);
    const n = this.buf.write(v, this.pos + 4, "utf8");
    this.i32(n);
    this.pos += n;
  }
}

const textBytes = (v: string | null): number => (v === null ? 0 : v.length * 3);

/** Binary COPY data for rows, in chunks of about `chunkBytes` (header first, trailer last). */
export function* binaryCopyChunks(rows: readonly StoredRow[], chunkBytes = 1 << 20): Generator<Buffer> {
  let w = new Writer(chunkBytes);
  SIGNATURE.copy(w.buf, 0);
  w.pos = SIGNATURE.length;
  w.i32(0);
  w.i32(0);
  let rawId: string | null = null;
  let rawIdNum = 0;
  for (const r of rows) {
    const need =
      FIXED_BYTES +
      textBytes(r.rawValue) +
      textBytes(r.rawUnit) +
      textBytes(r.reason) +
      textBytes(r.source) +
      textBytes(r.baseReason) +
      2;
    if (w.pos + need > w.buf.length) {
      yield w.buf.subarray(0, w.pos);
      w = new Writer(Math.max(chunkBytes, need));
    }
    if (r.rawId !== rawId) {
      rawId = r.rawId;
      rawIdNum = rawId === null ? 0 : Number(rawId);
    }
    w.i16(FIELDS);
    w.i32(4);
    w.i32(r.pointId);
    w.i32(2);
    w.i16(VARIABLE_CODE[r.variable]);
    w.i32(8);
    w.i64((r.ts.getTime() - PG_EPOCH_MS) * 1000);
    if (r.value === null) w.i32(-1);
    else {
      w.i32(8);
      w.pos = w.buf.writeDoubleBE(r.value, w.pos);
    }
    w.text(r.rawValue);
    w.text(r.rawUnit);
    w.i32(2);
    w.i16(QUALITY[r.quality]);
    w.text(r.reason);
    w.text(r.source);
    if (rawId === null) w.i32(-1);
    else {
      w.i32(8);
      w.i64(rawIdNum);
    }
    w.i32(2);
    w.i16(QUALITY[r.baseQuality]);
    w.text(r.baseReason);
  }
  w.i16(-1);
  yield w.buf.subarray(0, w.pos);
}
