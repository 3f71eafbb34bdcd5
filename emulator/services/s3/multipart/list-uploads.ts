import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { compareUtf8 } from '../model/key-index.ts';
import { OWNER, type S3Model } from '../model/s3-model.ts';
import { s3Errors } from '../s3-errors.ts';
import { encodeKey } from '../target.ts';
import { multipartErrors } from './multipart-errors.ts';
import { uploadOf } from './upload-part.ts';
import type { Upload } from './upload-records.ts';

/** A non-negative integer query parameter (capped at 1000), else S3's InvalidArgument. */
function readCount(ctx: RequestContext, name: string, fallback: number, cap = 1000): number {
  const raw = ctx.query.get(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 2147483647)
    throw s3Errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  return Math.min(Number(raw), cap);
}

// No DisplayName: AWS stopped returning it in November 2025.
const initiator = (u: Upload) => ({ ID: u.record.initiator.id });
const checksumFields = (u: Upload) =>
  u.record.checksum
    ? { ChecksumAlgorithm: u.record.checksum.algorithm, ChecksumType: u.record.checksum.type }
    : {};

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html — 204; its parts are deleted. */
export async function abortMultipartUpload(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const upload = uploadOf(ctx, s3, bucket, key);
  const done = await s3.uploads.serialize(upload, () => s3.uploads.end(upload));
  if (!done.ok) throw multipartErrors.noSuchUpload(upload.record.uploadId);
  ctx.send(204, s3Headers(ctx));
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html — parts after
 * `part-number-marker`, at most `max-parts` (≤ 1000); checksums only when the upload has an algorithm.
 */
export async function listParts(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const upload = uploadOf(ctx, s3, bucket, key);
  const maxParts = readCount(ctx, 'max-parts', 1000);
  const marker = readCount(ctx, 'part-number-marker', 0, Number.MAX_SAFE_INTEGER);
  const after = [...upload.parts.values()]
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, maxParts);
  const algorithm = upload.record.checksum?.algorithm;
  sendXml(ctx, 200, 'ListPartsResult', {
    Bucket: bucket,
    Key: key,
    UploadId: upload.record.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.at(-1)?.partNumber ?? 0,
    MaxParts: maxParts,
    IsTruncated: after.length > page.length,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: p.lastModified,
      ETag: `"${p.etag}"`,
      Size: p.size,
      ...(algorithm && p.checksum?.algorithm === algorithm
        ? { [`Checksum${algorithm}`]: p.checksum.value }
        : {}),
    })),
    Initiator: initiator(upload),
    Owner: OWNER,
    StorageClass: upload.record.storageClass ?? 'STANDARD',
    ...checksumFields(upload),
  });
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html — uploads in
 * progress by key, then by initiation; `key-marker` / `upload-id-marker` continue a page, a
 * `delimiter` rolls keys up into common prefixes (each counting as one entry).
 */
export async function listMultipartUploads(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const maxUploads = readCount(ctx, 'max-uploads', 1000);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const idMarker = keyMarker ? (ctx.query.get('upload-id-marker') ?? '') : '';
  const url = ctx.query.get('encoding-type') === 'url';
  const enc = (s: string) => (url ? encodeKey(s) : s);
  const all = s3.uploads.list(bucket);
  // With a known upload-id-marker, the uploads listed after it (the marker key's later ones
  // included); else the keys after key-marker. UNVERIFIED: an unknown upload-id-marker is ignored.
  const idAt = idMarker
    ? all.findIndex((u) => u.record.key === keyMarker && u.record.uploadId === idMarker)
    : -1;
  const uploads: Upload[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last: { key: string; uploadId: string } | undefined;
  for (const [i, u] of all.entries()) {
    const key = u.record.key;
    if (!key.startsWith(prefix)) continue;
    if (idAt >= 0 ? i <= idAt : keyMarker && compareUtf8(key, keyMarker) <= 0) continue;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = at === -1 ? undefined : key.slice(0, at + delimiter.length);
    // A page that ended on a common prefix continues after all of that prefix's keys.
    if (common !== undefined && (common === prefixes.at(-1) || common === keyMarker)) continue;
    if (uploads.length + prefixes.length >= maxUploads) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      last = { key: common, uploadId: '' };
    } else {
      uploads.push(u);
      last = { key, uploadId: u.record.uploadId };
    }
  }
  sendXml(ctx, 200, 'ListMultipartUploadsResult', {
    Bucket: bucket,
    KeyMarker: enc(keyMarker),
    UploadIdMarker: idMarker,
    NextKeyMarker: enc(last?.key ?? ''),
    NextUploadIdMarker: last?.uploadId ?? '',
    ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
    ...(prefix ? { Prefix: enc(prefix) } : {}),
    MaxUploads: maxUploads,
    IsTruncated: truncated,
    Upload: uploads.map((u) => ({
      Key: enc(u.record.key),
      UploadId: u.record.uploadId,
      Initiator: initiator(u),
      Owner: OWNER,
      StorageClass: u.record.storageClass ?? 'STANDARD',
      Initiated: u.record.initiated,
      ...checksumFields(u),
    })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
    ...(url ? { EncodingType: 'url' } : {}),
  });
}
