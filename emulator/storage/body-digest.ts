import { createHash, hash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Crc64Nvme, crc64Nvme } from './crc64-nvme.ts';

/** Which digests to compute; MD5 always (it is the ETag). */
export interface DigestOptions {
  sha256?: boolean;
  sha1?: boolean;
  crc32?: boolean;
  /** S3's default checksum, for a body sent without one. */
  crc64nvme?: boolean;
}

export interface Digests {
  md5: Buffer;
  sha256?: Buffer;
  sha1?: Buffer;
  crc32?: number;
  /** 8 bytes, big-endian. */
  crc64nvme?: Buffer;
}

/** Digests of a body fed chunk by chunk, here or on another thread. */
export interface BodyDigest {
  /** Adds `chunk`; a returned promise asks the caller to wait before the next one. */
  update(chunk: Buffer): Promise<void> | undefined;
  /** The digests of everything added. */
  digest(): Promise<Digests>;
  /** Gives up (the body was refused or cut off). */
  abandon(): void;
}

/** The digests of a body held whole (one-shot hashing: no hash objects to set up). */
export function wholeDigests(body: Buffer, options: DigestOptions = {}): Digests {
  return {
    md5: hash('md5', body, 'buffer'),
    ...(options.sha256 ? { sha256: hash('sha256', body, 'buffer') } : {}),
    ...(options.sha1 ? { sha1: hash('sha1', body, 'buffer') } : {}),
    ...(options.crc32 ? { crc32: crc32(body) } : {}),
    ...(options.crc64nvme ? { crc64nvme: crc64Nvme(body) } : {}),
  };
}

/** Hashes on the calling thread, chunk by chunk, while the chunks go to a file. */
export class LocalDigest implements BodyDigest {
  private readonly md5 = createHash('md5');
  private readonly sha256: Hash | undefined;
  private readonly sha1: Hash | undefined;
  private crc: number | undefined;
  private readonly crc64: Crc64Nvme | undefined;

  constructor(options: DigestOptions = {}) {
    this.sha256 = options.sha256 ? createHash('sha256') : undefined;
    this.sha1 = options.sha1 ? createHash('sha1') : undefined;
    this.crc = options.crc32 ? 0 : undefined;
    this.crc64 = options.crc64nvme ? new Crc64Nvme() : undefined;
  }

  update(chunk: Buffer): undefined {
    this.md5.update(chunk);
    this.sha256?.update(chunk);
    this.sha1?.update(chunk);
    if (this.crc !== undefined) this.crc = crc32(chunk, this.crc);
    this.crc64?.update(chunk);
    return undefined;
  }

  digest(): Promise<Digests> {
    return Promise.resolve({
      md5: this.md5.digest(),
      ...(this.sha256 ? { sha256: this.sha256.digest() } : {}),
      ...(this.sha1 ? { sha1: this.sha1.digest() } : {}),
      ...(this.crc !== undefined ? { crc32: this.crc } : {}),
      ...(this.crc64 ? { crc64nvme: this.crc64.digest() } : {}),
    });
  }

  abandon(): void {}
}
