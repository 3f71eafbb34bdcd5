/**
 * CRC-64/NVME (S3's default checksum, `x-amz-checksum-crc64nvme`): reflected polynomial
 * 0x9A6C9329AC4BC9B5, initial value and final XOR all ones. Slicing-by-8 over 32-bit halves
 * (no BigInt on the hot path): eight 256-entry tables, eight bytes per step.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 *
 * `crc64NvmeTables` and `crc64NvmeUpdate` use nothing outside their own bodies, so that the
 * digest worker (`off-thread-digest.ts`) can embed their source text and run the same code.
 */

/** The eight tables, interleaved low/high 32-bit halves: entry `i` of table `t` at `(t*256+i)*2`. */
export function crc64NvmeTables(): Int32Array {
  const tables = new Int32Array(8 * 256 * 2);
  const polyLo = 0xac4bc9b5 | 0;
  const polyHi = 0x9a6c9329 | 0;
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const odd = lo & 1;
      lo = (lo >>> 1) | (hi << 31);
      hi = hi >>> 1;
      if (odd) {
        lo ^= polyLo;
        hi ^= polyHi;
      }
    }
    tables[i * 2] = lo;
    tables[i * 2 + 1] = hi;
  }
  for (let t = 1; t < 8; t++)
    for (let i = 0; i < 256; i++) {
      const prev = ((t - 1) * 256 + i) * 2;
      const lo = tables[prev]!;
      const hi = tables[prev + 1]!;
      const idx = (lo & 0xff) * 2;
      tables[(t * 256 + i) * 2] = ((lo >>> 8) | (hi << 24)) ^ tables[idx]!;
      tables[(t * 256 + i) * 2 + 1] = (hi >>> 8) ^ tables[idx + 1]!;
    }
  return tables;
}

/**
 * Feeds `bytes` into a running CRC held as `state` = [low, high] of the *unfinalised* register
 * (start with [-1, -1]); updates `state` in place.
 */
export function crc64NvmeUpdate(tables: Int32Array, state: Int32Array, bytes: Uint8Array): void {
  let lo = state[0]!;
  let hi = state[1]!;
  const n = bytes.length;
  let at = 0;
  const end8 = n - (n % 8);
  while (at < end8) {
    lo ^= bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
    hi ^= bytes[at + 4]! | (bytes[at + 5]! << 8) | (bytes[at + 6]! << 16) | (bytes[at + 7]! << 24);
    const a = (7 * 256 + (lo & 0xff)) * 2;
    const b = (6 * 256 + ((lo >>> 8) & 0xff)) * 2;
    const c = (5 * 256 + ((lo >>> 16) & 0xff)) * 2;
    const d = (4 * 256 + (lo >>> 24)) * 2;
    const e = (3 * 256 + (hi & 0xff)) * 2;
    const f = (2 * 256 + ((hi >>> 8) & 0xff)) * 2;
    const g = (256 + ((hi >>> 16) & 0xff)) * 2;
    const h = (hi >>> 24) * 2;
    lo =
      tables[a]! ^ tables[b]! ^ tables[c]! ^ tables[d]! ^ tables[e]! ^ tables[f]! ^ tables[g]! ^ tables[h]!;
    hi =
      tables[a + 1]! ^
      tables[b + 1]! ^
      tables[c + 1]! ^
      tables[d + 1]! ^
      tables[e + 1]! ^
      tables[f + 1]! ^
      tables[g + 1]! ^
      tables[h + 1]!;
    at += 8;
  }
  for (; at < n; at++) {
    const idx = ((lo ^ bytes[at]!) & 0xff) * 2;
    lo = ((lo >>> 8) | (hi << 24)) ^ tables[idx]!;
    hi = (hi >>> 8) ^ tables[idx + 1]!;
  }
  state[0] = lo;
  state[1] = hi;
}

let shared: Int32Array | undefined;

/** A running CRC-64/NVME. */
export class Crc64Nvme {
  private readonly tables = (shared ??= crc64NvmeTables());
  private readonly state = new Int32Array([-1, -1]);

  update(bytes: Uint8Array): this {
    crc64NvmeUpdate(this.tables, this.state, bytes);
    return this;
  }

  /** The 8-byte big-endian digest (as S3 base64-encodes it). */
  digest(): Buffer {
    return crc64NvmeDigest(this.state);
  }
}

/** The finished digest of a running state: final XOR, big-endian. */
export function crc64NvmeDigest(state: Int32Array): Buffer {
  const out = Buffer.alloc(8);
  out.writeInt32BE(~state[1]!, 0);
  out.writeInt32BE(~state[0]!, 4);
  return out;
}

/** CRC-64/NVME of a whole buffer. */
export const crc64Nvme = (bytes: Uint8Array): Buffer => new Crc64Nvme().update(bytes).digest();
