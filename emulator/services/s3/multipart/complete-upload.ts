import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestContext } from '../../../core/context.ts';
import { parseXml } from '../../../protocols/xml.ts';
import { sendXml } from '../../../protocols/rest-xml.ts';
import { TempWriter } from '../../../storage/temp-writer.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { ObjectMeta } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';
import { writtenVersionHeader } from '../versioning/version-params.ts';
import { objectUrl } from '../target.ts';
import { xmlRoot, xmlStructs, xmlText } from '../xml-values.ts';
import { compositeChecksum, hasher, multipartEtag, type Hasher } from './multipart-checksums.ts';
import { MIN_PART_SIZE, multipartErrors } from './multipart-errors.ts';
import { uploadOf } from './upload-part.ts';
import type { PartRecord, Upload } from './upload-records.ts';

/** One `<Part>` of the request: number, ETag as sent, and any `<Checksum…>` elements. */
interface ListedPart {
  partNumber: number;
  etag: string;
  checksums: Record<string, string>;
}

function parseParts(body: Buffer): ListedPart[] {
  const root = xmlRoot(parseXml(body), 'CompleteMultipartUpload');
  return xmlStructs(root['Part']).map((p) => {
    const number = xmlText(p['PartNumber']) ?? '';
    if (!/^\d+$/.test(number)) throw s3Errors.malformedXml();
    const checksums: Record<string, string> = {};
    for (const [name, value] of Object.entries(p))
      if (name.startsWith('Checksum'))
        checksums[name.slice('Checksum'.length).toUpperCase()] = xmlText(value) ?? '';
    return { partNumber: Number(number), etag: xmlText(p['ETag']) ?? '', checksums };
  });
}

const unquote = (etag: string) => etag.replace(/^"(.*)"$/, '$1');

/** The listed parts, checked in S3's order: ascending, uploaded with that ETag, checksums as the mode needs. */
function checkParts(ctx: RequestContext, upload: Upload, listed: ListedPart[]): PartRecord[] {
  const id = upload.record.uploadId;
  const mode = upload.record.checksum;
  const typeHeader = ctx.header('x-amz-checksum-type')?.toUpperCase();
  if (typeHeader !== undefined && typeHeader !== mode?.type)
    throw multipartErrors.checksumModeMismatch(mode?.type ?? 'null');
  const parts: PartRecord[] = [];
  let previous = 0;
  for (const p of listed) {
    if (p.partNumber <= previous) throw multipartErrors.invalidPartOrder(id);
    previous = p.partNumber;
    const part = upload.parts.get(p.partNumber);
    if (!part || unquote(p.etag) !== part.etag) throw multipartErrors.invalidPart(id, p.partNumber, p.etag);
    const given = Object.keys(p.checksums);
    if (!mode && given.length) throw multipartErrors.invalidPart(id, p.partNumber, p.etag);
    if (mode?.type === 'COMPOSITE') {
      const value = p.checksums[mode.algorithm];
      if (value === undefined) throw multipartErrors.missingPartChecksum(mode.algorithm, p.partNumber);
      if (value !== part.checksum?.value) {
        if (mode.algorithm.startsWith('SHA'))
          throw s3Errors.badDigest(
            `The ${mode.algorithm.toLowerCase()} you specified for part ${p.partNumber} did not match what we received.`,
          );
        throw multipartErrors.invalidPart(id, p.partNumber, p.etag);
      }
    }
    parts.push(part);
  }
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.size < MIN_PART_SIZE)
      throw multipartErrors.entityTooSmall(part.size, part.partNumber, part.etag);
  });
  return parts;
}

/** Streams the parts, in order, into one synced temp file beside the bucket's objects. */
async function assemble(
  dir: string,
  upload: Upload,
  parts: PartRecord[],
  full: Hasher | undefined,
): Promise<string> {
  const writer = await TempWriter.create(dir);
  try {
    for (const part of parts)
      for await (const chunk of createReadStream(join(upload.dir, part.file), {
        highWaterMark: 1024 * 1024,
      })) {
        const wait = writer.write(chunk as Buffer);
        full?.update(chunk as Buffer);
        if (wait) await wait;
      }
    await writer.finish();
    return writer.path;
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html — the listed
 * parts become one object (one data file, one journal record), durably, before the answer; the
 * ETag is the MD5 of the parts' MD5s with `-N`. Without an algorithm the object gets a CRC64NVME
 * FULL_OBJECT checksum [§9.2 REC].
 */
export async function completeMultipartUpload(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string,
): Promise<void> {
  const upload = uploadOf(ctx, s3, bucket, key);
  const listed = parseParts(await ctx.body());
  if (listed.length === 0) throw multipartErrors.noParts();
  const done = await s3.uploads.serialize(upload, async () => {
    const parts = checkParts(ctx, upload, listed);
    const size = parts.reduce((sum, p) => sum + p.size, 0);
    const declaredSize = ctx.header('x-amz-mp-object-size');
    if (declaredSize !== undefined && declaredSize !== String(size))
      throw multipartErrors.objectSizeMismatch(declaredSize, size);
    const mode = upload.record.checksum;
    const fullAlgorithm = !mode ? 'CRC64NVME' : mode.type === 'FULL_OBJECT' ? mode.algorithm : undefined;
    const full = fullAlgorithm ? hasher(fullAlgorithm) : undefined;
    const tempFile = await assemble(s3.objects.dir(bucket), upload, parts, full);
    let checksum: NonNullable<ObjectMeta['checksum']>;
    if (mode?.type === 'COMPOSITE')
      checksum = {
        algorithm: mode.algorithm,
        value: compositeChecksum(mode.algorithm, parts),
        type: 'COMPOSITE',
      };
    else
      checksum = { algorithm: fullAlgorithm!, value: full!.digest().toString('base64'), type: 'FULL_OBJECT' };
    const given = mode ? ctx.header(`x-amz-checksum-${mode.algorithm.toLowerCase()}`) : undefined;
    if (mode?.type === 'FULL_OBJECT' && given !== undefined && given !== checksum.value) {
      await rm(tempFile, { force: true });
      throw s3Errors.badDigest(
        `The ${mode.algorithm.toLowerCase()} you specified did not match the calculated checksum.`,
      );
    }
    const etag = multipartEtag(parts);
    const r = upload.record;
    // The journal record (naming this upload) is the commit point: a crash before it leaves the
    // upload as it was, after it the next start sees the object and drops the upload's folder.
    const meta = await s3.notifications
      .objectCreated(
        ctx,
        bucket,
        key,
        { size, md5: Buffer.alloc(0), etag },
        'ObjectCreated:CompleteMultipartUpload',
        (versionId) =>
          s3.objects.commitDataFile(
            bucket,
            key,
            tempFile,
            {
              size,
              etag,
              contentType: r.contentType,
              metadata: r.metadata,
              headers: r.headers,
              checksum,
              parts: parts.length,
              uploadId: r.uploadId,
              ...(r.storageClass ? { storageClass: r.storageClass } : {}),
              ...(r.tags ? { tags: r.tags } : {}),
              ...(r.acl ? { acl: r.acl } : {}),
            },
            versionId,
          ),
      )
      .catch(async (err: unknown) => {
        await rm(tempFile, { force: true });
        throw err;
      });
    await s3.uploads.end(upload);
    return meta;
  });
  if (!done.ok) throw multipartErrors.noSuchUpload(upload.record.uploadId);
  const meta = done.value;
  const checksum = meta.checksum!;
  sendXml(
    ctx,
    200,
    'CompleteMultipartUploadResult',
    {
      Location: objectUrl(ctx, bucket, key),
      Bucket: bucket,
      Key: key,
      ETag: `"${meta.etag}"`,
      [`Checksum${checksum.algorithm}`]: checksum.value,
      ChecksumType: checksum.type,
    },
    { 'x-amz-server-side-encryption': 'AES256', ...writtenVersionHeader(meta.versionId) },
  );
}
