import { Readable } from 'node:stream';
import { authorize } from '../../../auth/authorize.ts';
import { s3Authorization } from '../access/bucket-access.ts';
import { checkVersionId } from '../versioning/version-params.ts';
import { decodedLength } from '../../../core/aws-chunked.ts';
import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import {
  checksumHeader,
  declaredDigests,
  stageOptionsFor,
  verifyDigests,
  type DeclaredDigests,
} from '../digests.ts';
import { missingSource, parseCopySource } from '../handlers/copy-object.ts';
import { announcedBytes } from '../handlers/object-handlers.ts';
import type { S3Model } from '../model/s3-model.ts';
import { discardStaged, stageStream, type StagedFile } from '../model/staging.ts';
import { s3Errors } from '../s3-errors.ts';
import { fileChecksum, hasher } from './multipart-checksums.ts';
import { MAX_PART_NUMBER, multipartErrors } from './multipart-errors.ts';
import type { PartRecord, Upload } from './upload-records.ts';

/** `partNumber`, an integer in 1..10000, else 400 InvalidArgument [§9.2 REC]. */
export function partNumberOf(ctx: RequestContext): number {
  const raw = ctx.query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PART_NUMBER)) throw multipartErrors.invalidPartNumber(raw);
  return n;
}

/** The upload `uploadId` names, for this bucket and key, else 404 NoSuchUpload. */
export function uploadOf(ctx: RequestContext, s3: S3Model, bucket: string, key: string): Upload {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = s3.uploads.get(bucket, key, uploadId);
  if (!upload) throw multipartErrors.noSuchUpload(uploadId);
  return upload;
}

/** Digests the stager computes itself (the others are computed from the part's bytes). */
const STAGED = new Set(['CRC32', 'SHA1', 'SHA256']);

/** The part's checksum in `algorithm`: what the stager computed, or read back from its bytes. */
async function partChecksum(algorithm: string, staged: StagedFile): Promise<string> {
  if (algorithm === 'CRC32') {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(staged.crc32! >>> 0);
    return out.toString('base64');
  }
  if (algorithm === 'SHA1') return staged.sha1!.toString('base64');
  if (algorithm === 'SHA256') return staged.sha256!.toString('base64');
  if (staged.tempFile) return fileChecksum(staged.tempFile, algorithm);
  const h = hasher(algorithm);
  h.update(staged.inline ?? Buffer.alloc(0));
  return h.digest().toString('base64');
}

/** Records a staged part (verified), answering NoSuchUpload if the upload ended meanwhile. */
async function recordPart(
  s3: S3Model,
  upload: Upload,
  partNumber: number,
  staged: StagedFile,
  declared: DeclaredDigests['checksum'],
): Promise<PartRecord> {
  try {
    const algorithm = upload.record.checksum?.algorithm ?? declared?.algorithm;
    let checksum: PartRecord['checksum'];
    if (algorithm) {
      const value = await partChecksum(algorithm, staged);
      if (declared && declared.algorithm === algorithm && declared.value !== value)
        throw s3Errors.badDigest(`The ${algorithm} you specified did not match the calculated checksum.`);
      checksum = { algorithm, value };
    }
    const part = {
      partNumber,
      etag: staged.md5.toString('hex'),
      size: staged.size,
      lastModified: new Date().toISOString(),
    };
    const done = await s3.uploads.serialize(upload, () =>
      s3.uploads.putPart(upload, { ...part, ...(checksum ? { checksum } : {}) }, staged),
    );
    if (!done.ok) throw multipartErrors.noSuchUpload(upload.record.uploadId);
    return done.value;
  } catch (err) {
    await discardStaged(staged);
    throw err;
  }
}

/** Headers of a stored part: quoted ETag, SSE, its checksum. */
function partHeaders(part: PartRecord): Record<string, string> {
  return {
    ETag: `"${part.etag}"`,
    'x-amz-server-side-encryption': 'AES256',
    ...(part.checksum
      ? { [`x-amz-checksum-${part.checksum.algorithm.toLowerCase()}`]: part.checksum.value }
      : {}),
  };
}

/** The staging options for a part of `upload` (its algorithm's digest, if the stager has it). */
function optionsFor(upload: Upload, declared: DeclaredDigests, trailerAlgorithm?: string) {
  const options = stageOptionsFor(declared, trailerAlgorithm);
  const algorithm =
    upload.record.checksum?.algorithm ?? declared.checksum?.algorithm ?? trailerAlgorithm?.toUpperCase();
  if (algorithm && STAGED.has(algorithm))
    options[algorithm.toLowerCase() as 'crc32' | 'sha1' | 'sha256'] = true;
  return options;
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html — the part streams into its
 * upload's folder; the same part number again replaces it. A checksum in another algorithm than
 * the upload's is refused; a part sent without one gets it computed.
 */
export async function uploadPart(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const partNumber = partNumberOf(ctx);
  const upload = uploadOf(ctx, s3, bucket, key);
  const declared = declaredDigests(ctx);
  const trailer = ctx.header('x-amz-trailer')?.toLowerCase();
  const trailerAlgorithm = trailer?.startsWith('x-amz-checksum-')
    ? trailer.slice('x-amz-checksum-'.length)
    : undefined;
  const sent = (
    declared.checksum?.algorithm ??
    trailerAlgorithm ??
    ctx.header('x-amz-sdk-checksum-algorithm')
  )?.toUpperCase();
  const expected = upload.record.checksum?.algorithm;
  if (expected && sent && sent !== expected) throw multipartErrors.checksumTypeMismatch(expected, sent);
  const body = ctx.bodyStream();
  body.on('error', () => undefined);
  const staged = await stageStream(upload.dir, body, {
    ...optionsFor(upload, declared, trailerAlgorithm),
    ...announcedBytes(ctx),
  }).catch((err: unknown) => {
    // Completed or aborted while the part was arriving: its folder is gone (ENOENT).
    if (upload.gone && !(err instanceof AwsError)) throw multipartErrors.noSuchUpload(upload.record.uploadId);
    throw err instanceof AwsError || !ctx.req.destroyed ? err : s3Errors.incompleteBody();
  });
  try {
    const declaredLength = decodedLength(ctx.headers);
    if (declaredLength !== undefined && declaredLength !== staged.size) throw s3Errors.incompleteBody();
    if (!declared.checksum && 'trailers' in body) {
      const fromTrailer = checksumHeader((body as { trailers: Record<string, string> }).trailers);
      if (fromTrailer) declared.checksum = fromTrailer;
    }
    verifyDigests(declared, staged);
  } catch (err) {
    await discardStaged(staged);
    throw err;
  }
  const part = await recordPart(s3, upload, partNumber, staged, declared.checksum);
  ctx.send(200, { ...s3Headers(ctx), ...partHeaders(part) });
}

/** `x-amz-copy-source-range: bytes=first-last` within a source of `size` bytes [§9.2 REC]. */
export function copyRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(value);
  if (!m || Number(m[1]) > Number(m[2])) throw multipartErrors.copyRangeSyntax(value);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start >= size) throw multipartErrors.copyRangeInvalid();
  if (end >= size) throw multipartErrors.copyRangeBeyondSize(value, size);
  return { start, end };
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html — a part from (a range
 * of) an existing object; needs s3:GetObject on the source besides s3:PutObject on the target.
 */
export async function uploadPartCopy(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const partNumber = partNumberOf(ctx);
  const upload = uploadOf(ctx, s3, bucket, key);
  const source = parseCopySource(ctx.header('x-amz-copy-source')!);
  if (!s3.buckets.get(source.bucket)) throw s3Errors.noSuchBucket(source.bucket);
  // `?versionId=` in the copy source names a version, as for CopyObject.
  const sourceVersion = checkVersionId(s3, source.bucket, source.versionId);
  const action = sourceVersion === undefined ? 's3:GetObject' : 's3:GetObjectVersion';
  authorize(ctx, s3Authorization(s3, source.bucket, source.key, action));
  const opened = await s3.objects.openData(source.bucket, source.key, sourceVersion);
  if (!opened) throw missingSource(s3, source.bucket, source.key, sourceVersion);
  const { meta, handle, offset } = opened;
  let range: { start: number; end: number } | undefined;
  try {
    range = copyRange(ctx.header('x-amz-copy-source-range'), meta.size);
  } catch (err) {
    await handle.close();
    throw err;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? meta.size - 1;
  if (end < start) await handle.close();
  const bytes =
    end < start
      ? Readable.from([])
      : handle.createReadStream({ start: offset + start, end: offset + end, autoClose: true });
  const algorithm = upload.record.checksum?.algorithm;
  const staged = await stageStream(upload.dir, bytes, {
    expectedBytes: end - start + 1,
    ...(algorithm && STAGED.has(algorithm) ? { [algorithm.toLowerCase()]: true } : {}),
  });
  const part = await recordPart(s3, upload, partNumber, staged, undefined);
  sendXml(
    ctx,
    200,
    'CopyPartResult',
    {
      ETag: `"${part.etag}"`,
      LastModified: part.lastModified,
      ...(part.checksum ? { [`Checksum${part.checksum.algorithm}`]: part.checksum.value } : {}),
    },
    {
      'x-amz-server-side-encryption': 'AES256',
      ...(s3.buckets.get(source.bucket)?.versioning
        ? { 'x-amz-copy-source-version-id': meta.versionId ?? 'null' }
        : {}),
    },
  );
}
