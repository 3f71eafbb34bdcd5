import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Crc32c } from '../../../storage/crc32c.ts';
import { Crc64Nvme } from '../../../storage/crc64-nvme.ts';
import { s3Errors } from '../s3-errors.ts';
import type { ChecksumAlgorithm, ChecksumType, PartRecord } from './upload-records.ts';

const ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** A running digest of one algorithm (`digest` gives the raw bytes S3 base64-encodes). */
export interface Hasher {
  update(chunk: Buffer): void;
  digest(): Buffer;
}

export function hasher(algorithm: string): Hasher {
  switch (algorithm.toUpperCase()) {
    case 'CRC32': {
      let value = 0;
      return {
        update: (chunk) => void (value = crc32(chunk, value)),
        digest: () => {
          const out = Buffer.allocUnsafe(4);
          out.writeUInt32BE(value >>> 0);
          return out;
        },
      };
    }
    case 'CRC32C':
      return new Crc32c();
    case 'CRC64NVME':
      return new Crc64Nvme();
    default: {
      const hash = createHash(algorithm.toLowerCase());
      return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest() };
    }
  }
}

/**
 * `x-amz-checksum-algorithm` and `x-amz-checksum-type` of CreateMultipartUpload, checked as S3 does
 * [§9.2 REC TestS3MultipartUploadChecksum]: the type defaults to COMPOSITE, and to FULL_OBJECT for
 * CRC64NVME; FULL_OBJECT only with the CRCs; COMPOSITE never with CRC64NVME.
 */
export function createChecksum(
  algorithmHeader: string | undefined,
  typeHeader: string | undefined,
): { algorithm: ChecksumAlgorithm; type: ChecksumType } | undefined {
  if (algorithmHeader === undefined) {
    if (typeHeader !== undefined)
      throw s3Errors.invalidRequest(
        'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
      );
    return undefined;
  }
  const algorithm = algorithmHeader.toUpperCase() as ChecksumAlgorithm;
  if (!ALGORITHMS.includes(algorithm))
    throw s3Errors.invalidRequest(
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  const type = (typeHeader?.toUpperCase() ??
    (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE')) as ChecksumType;
  // UNVERIFIED: the answer to a type other than COMPOSITE / FULL_OBJECT; taken as S3's InvalidRequest below.
  if (type !== 'COMPOSITE' && type !== 'FULL_OBJECT')
    throw s3Errors.invalidRequest(`Value for x-amz-checksum-type header is invalid.`);
  if (type === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256'))
    throw s3Errors.invalidRequest(
      `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`,
    );
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME')
    throw s3Errors.invalidRequest(
      'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.',
    );
  return { algorithm, type };
}

/** The checksum of a file's bytes (a part whose algorithm the stager does not compute). */
export async function fileChecksum(path: string, algorithm: string): Promise<string> {
  const h = hasher(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest().toString('base64');
}

/**
 * A COMPOSITE checksum: the digest of the parts' binary digests, concatenated, then `-N`
 * (`"5FRUiw==-3"`) [§9.2 REC + CALC].
 */
export function compositeChecksum(algorithm: string, parts: PartRecord[]): string {
  const h = hasher(algorithm);
  for (const part of parts) h.update(Buffer.from(part.checksum?.value ?? '', 'base64'));
  return `${h.digest().toString('base64')}-${parts.length}`;
}

/** The multipart ETag: MD5 of the parts' binary MD5s, concatenated, then `-N` [§9.2 REC + CALC]. */
export function multipartEtag(parts: PartRecord[]): string {
  const md5 = createHash('md5');
  for (const part of parts) md5.update(Buffer.from(part.etag, 'hex'));
  return `${md5.digest('hex')}-${parts.length}`;
}
