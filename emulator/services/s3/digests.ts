import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc64Nvme } from '../../storage/crc64-nvme.ts';
import type { RequestContext } from '../../core/context.ts';
import type { StagedFile } from './model/staging.ts';
import { s3Errors } from './s3-errors.ts';

/** Flexible checksums we verify; CRC32C is accepted as sent. */
const VERIFIED = ['crc32', 'sha1', 'sha256', 'crc64nvme'] as const;
type Verified = (typeof VERIFIED)[number];

/** What the client declared about its payload, read from headers (and aws-chunked trailers). */
export interface DeclaredDigests {
  /** Hex SHA-256 from `x-amz-content-sha256`, when it is a hash rather than a mode. */
  sha256Hex?: string;
  /** Base64 MD5 from `Content-MD5`. */
  md5Base64?: string;
  /** `x-amz-checksum-<algorithm>` header (or trailer, filled in later). */
  checksum?: { algorithm: string; value: string };
}

export function declaredDigests(ctx: RequestContext): DeclaredDigests {
  const sha = ctx.header('x-amz-content-sha256');
  const md5 = ctx.header('content-md5');
  const out: DeclaredDigests = {};
  if (sha && /^[0-9a-f]{64}$/i.test(sha)) out.sha256Hex = sha.toLowerCase();
  if (md5 !== undefined) out.md5Base64 = md5;
  const checksum = checksumHeader(ctx.headers);
  if (checksum) out.checksum = checksum;
  return out;
}

/** S3's flexible-checksum algorithms and the size of each digest in bytes. */
const CHECKSUM_BYTES: Record<string, number> = { crc32: 4, crc32c: 4, crc64nvme: 8, sha1: 20, sha256: 32 };

/**
 * The `x-amz-checksum-<algorithm>` among headers, form fields or trailers. Only S3's algorithms
 * count (the name and value come back as a response header); a value that is not the base64 of
 * a digest of the right size is 400 InvalidRequest "Value for x-amz-checksum-<alg> header is
 * invalid." [COMMUNITY localstack/localstack#12169 quotes it].
 */
export function checksumHeader(headers: Record<string, unknown>): DeclaredDigests['checksum'] {
  let found: DeclaredDigests['checksum'];
  for (const [name, value] of Object.entries(headers)) {
    const algorithm = name.toLowerCase().slice('x-amz-checksum-'.length);
    if (!name.toLowerCase().startsWith('x-amz-checksum-') || !(algorithm in CHECKSUM_BYTES)) continue;
    const text = String(value);
    const bytes = Buffer.from(text, 'base64');
    if (
      !/^[A-Za-z0-9+/]+={0,2}$/.test(text) ||
      bytes.toString('base64') !== text ||
      bytes.length !== CHECKSUM_BYTES[algorithm]
    )
      throw s3Errors.invalidRequest(`Value for x-amz-checksum-${algorithm} header is invalid.`);
    // [REC TestS3PutObjectChecksum: two checksum headers]
    if (found)
      throw s3Errors.invalidRequest(
        'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
      );
    found = { algorithm: algorithm.toUpperCase(), value: text };
  }
  return found;
}

/**
 * The checksum an object keeps: the one the client sent, else S3's default CRC64NVME computed
 * on receipt [§9.5: "Amazon S3 still calculates a CRC64NVME checksum for new objects"].
 */
export function storedChecksum(
  declared: DeclaredDigests,
  got: Pick<StagedFile, 'crc64nvme'>,
): { checksum?: { algorithm: string; value: string } } {
  if (declared.checksum) return { checksum: declared.checksum };
  return got.crc64nvme
    ? { checksum: { algorithm: 'CRC64NVME', value: got.crc64nvme.toString('base64') } }
    : {};
}

/**
 * The checksum a copy gets: computed again over the bytes, in the algorithm the request names
 * (`x-amz-checksum-algorithm`), else the source's, else CRC64NVME [REC: CopyObject re-computes a
 * FULL_OBJECT checksum]. `got` holds what staging computed for `copyChecksumOptions`.
 */
export function copiedChecksum(
  algorithm: string,
  source: { algorithm: string; value: string } | undefined,
  got: Pick<StagedFile, 'sha256' | 'sha1' | 'crc32' | 'crc64nvme'>,
): { algorithm: string; value: string } | undefined {
  const name = algorithm.toLowerCase();
  const value = (VERIFIED as readonly string[]).includes(name)
    ? checksumValue(name as Verified, got)
    : undefined;
  if (value !== undefined) return { algorithm: name.toUpperCase(), value };
  // CRC32C is not computed here: the bytes are the source's, so its full-object value still holds.
  return source && source.algorithm === name.toUpperCase() ? source : undefined;
}

/** The algorithm a copy is checksummed with (see `copiedChecksum`). */
export function copyAlgorithm(
  requested: string | undefined,
  source: { algorithm: string } | undefined,
): string {
  const name = requested?.toLowerCase();
  if (name && name in CHECKSUM_BYTES) return name;
  return (source?.algorithm ?? 'CRC64NVME').toLowerCase();
}

/** Which hashes the stager must compute to check what was declared. */
export function stageOptionsFor(declared: DeclaredDigests, trailerAlgorithm?: string) {
  const algorithm = (declared.checksum?.algorithm ?? trailerAlgorithm ?? '').toLowerCase();
  return {
    sha256: declared.sha256Hex !== undefined || algorithm === 'sha256',
    sha1: algorithm === 'sha1',
    crc32: algorithm === 'crc32',
    // No checksum sent (or the one named is verified here): S3 adds its default.
    crc64nvme: algorithm === 'crc64nvme' || algorithm === '',
  };
}

/**
 * Compares the declared digests with what was received; throws S3's error for the first
 * mismatch. https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
export function verifyDigests(
  declared: DeclaredDigests,
  got: Pick<StagedFile, 'md5' | 'sha256' | 'sha1' | 'crc32' | 'crc64nvme'>,
): void {
  if (declared.md5Base64 !== undefined) {
    const given = Buffer.from(declared.md5Base64, 'base64');
    if (given.length !== 16 || given.toString('base64') !== declared.md5Base64.trim())
      throw s3Errors.invalidDigest(declared.md5Base64);
    if (!given.equals(got.md5))
      throw s3Errors.badDigest('The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: given.toString('hex'),
        CalculatedDigest: got.md5.toString('base64'),
      });
  }
  if (declared.sha256Hex !== undefined && got.sha256 && got.sha256.toString('hex') !== declared.sha256Hex)
    throw s3Errors.sha256Mismatch(declared.sha256Hex, got.sha256.toString('hex'));
  const checksum = declared.checksum;
  if (!checksum) return;
  const algorithm = checksum.algorithm.toLowerCase() as Verified;
  if (!VERIFIED.includes(algorithm)) return;
  const computed = checksumValue(algorithm, got);
  if (computed !== undefined && computed !== checksum.value)
    throw s3Errors.badDigest(
      `The ${checksum.algorithm} you specified did not match the calculated checksum.`,
    );
}

function checksumValue(
  algorithm: Verified,
  got: Pick<StagedFile, 'sha256' | 'sha1' | 'crc32' | 'crc64nvme'>,
): string | undefined {
  if (algorithm === 'crc64nvme') return got.crc64nvme?.toString('base64');
  if (algorithm === 'crc32') {
    if (got.crc32 === undefined) return undefined;
    const out = Buffer.alloc(4);
    out.writeUInt32BE(got.crc32 >>> 0);
    return out.toString('base64');
  }
  return (algorithm === 'sha1' ? got.sha1 : got.sha256)?.toString('base64');
}

/** Digests of a small body read whole (configuration documents). */
export function digestsOf(body: Buffer) {
  return {
    md5: createHash('md5').update(body).digest(),
    sha256: createHash('sha256').update(body).digest(),
    sha1: createHash('sha1').update(body).digest(),
    crc32: crc32(body),
    crc64nvme: crc64Nvme(body),
  };
}

/**
 * Reads a configuration body whole and checks its declared digests. `requireIntegrity` follows
 * the model's `httpChecksumRequired`: SDKs then always send Content-MD5 or a flexible checksum.
 * The error when neither is sent is UNVERIFIED (historically this InvalidRequest).
 */
export async function readCheckedBody(ctx: RequestContext, requireIntegrity = false): Promise<Buffer> {
  const declared = declaredDigests(ctx);
  if (
    requireIntegrity &&
    declared.md5Base64 === undefined &&
    !declared.checksum &&
    !ctx.header('x-amz-sdk-checksum-algorithm')
  )
    throw s3Errors.invalidRequest('Missing required header for this request: Content-MD5');
  const body = await ctx.body();
  verifyDigests(declared, digestsOf(body));
  return body;
}
