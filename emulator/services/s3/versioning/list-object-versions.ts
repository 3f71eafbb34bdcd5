import type { RequestContext } from '../../../core/context.ts';
import { sendXml } from '../../../protocols/rest-xml.ts';
import { encoder, readMaxKeys } from '../handlers/list-objects.ts';
import { compareUtf8 } from '../model/key-index.ts';
import { OWNER, type S3Model } from '../model/s3-model.ts';
import { seqOfVersionId, type VersionEntry, type VersionTable } from '../model/version-table.ts';
import { versionErrors } from './version-errors.ts';

interface VersionsPage {
  /** Versions and delete markers in listing order, each with whether it is its key's latest. */
  items: Array<{ entry: VersionEntry; latest: boolean }>;
  prefixes: string[];
  truncated: boolean;
  /** The last version or common prefix returned: where the next page starts. */
  last?: { key: string; versionId?: string };
}

interface PageQuery {
  prefix: string;
  delimiter: string;
  keyMarker: string;
  versionIdMarker: string | undefined;
  maxKeys: number;
}

/**
 * One page of versions: keys ascending from after the markers, each key's versions newest
 * first; keys sharing the part up to the next delimiter roll up into one common prefix. A
 * version id marker no longer among its key's versions continues with the versions older than
 * it (its id holds its place); a `null` one that is gone, with the next key (UNVERIFIED).
 */
function versionsPage(table: VersionTable, q: PageQuery): VersionsPage {
  const page: VersionsPage = { items: [], prefixes: [], truncated: false };
  const full = () => page.items.length + page.prefixes.length >= q.maxKeys;
  const keys = table.keys;
  let position = keys.lowerBound(compareUtf8(q.keyMarker, q.prefix) > 0 ? q.keyMarker : q.prefix);
  for (let key = keys.at(position); key !== undefined; key = keys.at(++position)) {
    if (!key.startsWith(q.prefix)) break;
    if (key === q.keyMarker && q.versionIdMarker === undefined) continue;
    if (q.delimiter) {
      const at = key.indexOf(q.delimiter, q.prefix.length);
      if (at !== -1) {
        const prefix = key.slice(0, at + q.delimiter.length);
        if (prefix === page.prefixes.at(-1) || prefix === q.keyMarker) continue;
        if (full()) return { ...page, truncated: true };
        page.prefixes.push(prefix);
        page.last = { key: prefix };
        continue;
      }
    }
    const versions = table.versions(key);
    let from = 0;
    if (key === q.keyMarker) {
      const at = versions.findIndex((v) => v.versionId === q.versionIdMarker);
      const seq = at === -1 ? seqOfVersionId(q.versionIdMarker!) : undefined;
      const older = seq === undefined ? -1 : versions.findIndex((v) => v.seq < seq);
      from = at !== -1 ? at + 1 : older !== -1 ? older : versions.length;
    }
    for (let i = from; i < versions.length; i++) {
      if (full()) return { ...page, truncated: true };
      page.items.push({ entry: versions[i]!, latest: i === 0 });
      page.last = { key, versionId: versions[i]!.versionId };
    }
  }
  return page;
}

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html — every version
 * and delete marker; a never-versioned bucket lists each object once with VersionId `null`.
 * Versions come before delete markers (botocore separates them anyway; AWS's interleaving is
 * UNVERIFIED).
 */
export async function listObjectVersions(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const versionIdMarker = ctx.query.get('version-id-marker');
  if (versionIdMarker !== undefined && versionIdMarker !== '' && keyMarker === '')
    throw versionErrors.versionMarkerWithoutKey(versionIdMarker);
  const maxKeys = readMaxKeys(ctx);
  const enc = encoder(ctx);
  const page = versionsPage(s3.objects.versionTable(bucket), {
    prefix,
    delimiter,
    keyMarker,
    versionIdMarker: versionIdMarker || undefined,
    maxKeys,
  });
  const common = (v: VersionEntry, latest: boolean) => ({
    Key: enc(v.key),
    VersionId: v.versionId,
    IsLatest: latest,
    LastModified: v.lastModified,
  });
  sendXml(ctx, 200, 'ListVersionsResult', {
    Name: bucket,
    Prefix: enc(prefix),
    KeyMarker: enc(keyMarker),
    VersionIdMarker: versionIdMarker ?? '',
    ...(page.truncated && page.last ? { NextKeyMarker: enc(page.last.key) } : {}),
    ...(page.truncated && page.last?.versionId ? { NextVersionIdMarker: page.last.versionId } : {}),
    MaxKeys: maxKeys,
    ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
    IsTruncated: page.truncated,
    ...(ctx.query.has('encoding-type') ? { EncodingType: 'url' } : {}),
    Version: page.items
      .filter(({ entry }) => entry.meta)
      .map(({ entry, latest }) => {
        const meta = entry.meta!;
        return {
          ...common(entry, latest),
          ETag: `"${meta.etag}"`,
          Size: meta.size,
          StorageClass: meta.storageClass ?? 'STANDARD',
          Owner: OWNER,
          ...(meta.checksum
            ? { ChecksumAlgorithm: meta.checksum.algorithm, ChecksumType: 'FULL_OBJECT' }
            : {}),
        };
      }),
    DeleteMarker: page.items
      .filter(({ entry }) => !entry.meta)
      .map(({ entry, latest }) => ({ ...common(entry, latest), Owner: OWNER })),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}
