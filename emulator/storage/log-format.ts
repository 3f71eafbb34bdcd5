import { crc32 } from 'node:zlib';

/** Where a record sits in an append log: `offset` of its header, `length` with the header. */
export interface RecordSpan {
  offset: number;
  length: number;
}

/** Each record: `magic, payload length, CRC-32 of the payload` (big-endian u32s), then the payload. */
export const HEADER_BYTES = 12;
const MAGIC = 0x4c41424a; // "LABJ"
/** A length beyond this is not a record but a torn or foreign tail. */
const MAX_PAYLOAD = 256 * 1024 * 1024;

/** The header of a record whose payload is the concatenation of `parts`. */
export function recordHeader(parts: Buffer[], bytes: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  let crc = 0;
  for (const part of parts) crc = crc32(part, crc);
  header.writeUInt32BE(MAGIC, 0);
  header.writeUInt32BE(bytes, 4);
  header.writeUInt32BE(crc >>> 0, 8);
  return header;
}

/** The payload length a header announces, or undefined when it is not a record header. */
export function payloadLength(header: Buffer): number | undefined {
  if (header.readUInt32BE(0) !== MAGIC) return undefined;
  const length = header.readUInt32BE(4);
  return length > MAX_PAYLOAD ? undefined : length;
}

/** Whether `payload` is what the header's CRC promises. */
export const intact = (header: Buffer, payload: Buffer): boolean =>
  crc32(payload) >>> 0 === header.readUInt32BE(8);
