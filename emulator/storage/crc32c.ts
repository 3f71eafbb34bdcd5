/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), S3's `CRC32C`, slicing-by-8: zlib only
 * offers CRC-32. https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
const T = new Uint32Array(256 * 8);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  T[i] = c >>> 0;
}
for (let t = 1; t < 8; t++)
  for (let i = 0; i < 256; i++) {
    const prev = T[(t - 1) * 256 + i]!;
    T[t * 256 + i] = ((prev >>> 8) ^ T[prev & 0xff]!) >>> 0;
  }

/** A running CRC32C: `update` with chunks, `digest` gives the 4-byte big-endian value. */
export class Crc32c {
  private crc = 0xffffffff;

  update(data: Uint8Array): this {
    let c = this.crc;
    let i = 0;
    const n = data.length;
    for (; i + 8 <= n; i += 8) {
      const a = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
      c =
        (T[7 * 256 + (a & 0xff)]! ^
          T[6 * 256 + ((a >>> 8) & 0xff)]! ^
          T[5 * 256 + ((a >>> 16) & 0xff)]! ^
          T[4 * 256 + (a >>> 24)]! ^
          T[3 * 256 + data[i + 4]!]! ^
          T[2 * 256 + data[i + 5]!]! ^
          T[256 + data[i + 6]!]! ^
          T[data[i + 7]!]!) >>>
        0;
    }
    for (; i < n; i++) c = ((c >>> 8) ^ T[(c ^ data[i]!) & 0xff]!) >>> 0;
    this.crc = c;
    return this;
  }

  digest(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE((this.crc ^ 0xffffffff) >>> 0, 0);
    return out;
  }
}

export const crc32c = (data: Uint8Array): Buffer => new Crc32c().update(data).digest();
