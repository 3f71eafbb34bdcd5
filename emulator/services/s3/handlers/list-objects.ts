import type { RequestContext } from '../../../core/context.ts';
import { sendXml } from '../../../protocols/rest-xml.ts';
import { compareUtf8, type KeyIndex } from '../model/key-index.ts';
import { OWNER, type S3Model } from '../model/s3-model.ts';
import type { ObjectMeta } from '../model/types.ts';
import { listingTime } from '../listing-time.ts';
import { s3Errors } from '../s3-errors.ts';

interface Page {
  contents: ObjectMeta[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last?: string;
}

/**
 * One page of a listing: keys after `after` under `prefix`, keys sharing the part up to the
 * next `delimiter` rolled up into one common prefix (which counts as one entry).
 */
function listPage(
  s3: S3Model,
  bucket: string,
  index: KeyIndex,
  o: { prefix: string; delimiter: string; after: string; maxKeys: number },
): Page {
  const page: Page = { contents: [], prefixes: [], truncated: false };
  let position = index.lowerBound(compareUtf8(o.after, o.prefix) > 0 ? o.after : o.prefix);
  for (let key = index.at(position); key !== undefined; key = index.at(++position)) {
    if (!key.startsWith(o.prefix)) break;
    if (key === o.after) continue;
    let prefix: string | undefined;
    if (o.delimiter) {
      const at = key.indexOf(o.delimiter, o.prefix.length);
      if (at !== -1) prefix = key.slice(0, at + o.delimiter.length);
    }
    // A continuation that ended on a common prefix skips that prefix's remaining keys.
    if (prefix !== undefined && (prefix === page.prefixes.at(-1) || prefix === o.after)) continue;
    if (page.contents.length + page.prefixes.length >= o.maxKeys) {
      // max-keys=0 asks for nothing, and S3 then says the listing is not truncated [ceph/s3-tests].
      page.truncated = o.maxKeys > 0;
      break;
    }
    if (prefix !== undefined) page.prefixes.push(prefix);
    else page.contents.push(s3.objects.head(bucket, key)!);
    page.last = prefix ?? key;
  }
  return page;
}

export function readMaxKeys(ctx: RequestContext): number {
  const raw = ctx.query.get('max-keys');
  if (raw === undefined) return 1000;
  if (!/^\d+$/.test(raw) || Number(raw) > 2147483647)
    throw s3Errors.invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      raw,
    );
  return Math.min(Number(raw), 1000);
}

/** `encoding-type=url` encodes keys and prefixes (the CLI asks for it and decodes). */
export function encoder(ctx: RequestContext): (s: string) => string {
  const type = ctx.query.get('encoding-type');
  if (type === undefined) return (s) => s;
  if (type !== 'url')
    throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

const contents = (items: ObjectMeta[], enc: (s: string) => string, owner: boolean) =>
  items.map((m) => ({
    Key: enc(m.key),
    LastModified: listingTime(m.lastModified),
    ETag: `"${m.etag}"`,
    ...(m.checksum ? { ChecksumAlgorithm: m.checksum.algorithm, ChecksumType: 'FULL_OBJECT' } : {}),
    Size: m.size,
    StorageClass: m.storageClass ?? 'STANDARD',
    ...(owner ? { Owner: OWNER } : {}),
  }));

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html */
export async function listObjectsV2(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const token = ctx.query.get('continuation-token');
  const startAfter = ctx.query.get('start-after');
  const maxKeys = readMaxKeys(ctx);
  const enc = encoder(ctx);
  let after = startAfter ?? '';
  // An empty token is no token: the listing starts over (and echoes it) [ceph/s3-tests].
  if (token !== undefined && token !== '') {
    const decoded = decodeToken(token);
    if (decoded === undefined)
      throw s3Errors.invalidArgument(
        'The continuation token provided is incorrect',
        'continuation-token',
        token,
      );
    after = decoded;
  }
  const page = listPage(s3, bucket, s3.objects.index(bucket), { prefix, delimiter, after, maxKeys });
  sendXml(ctx, 200, 'ListBucketResult', {
    Name: bucket,
    Prefix: enc(prefix),
    ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
    MaxKeys: maxKeys,
    ...(ctx.query.has('encoding-type') ? { EncodingType: 'url' } : {}),
    KeyCount: page.contents.length + page.prefixes.length,
    IsTruncated: page.truncated,
    ...(token !== undefined ? { ContinuationToken: token } : {}),
    ...(page.truncated && page.last !== undefined ? { NextContinuationToken: encodeToken(page.last) } : {}),
    ...(startAfter !== undefined ? { StartAfter: enc(startAfter) } : {}),
    Contents: contents(page.contents, enc, ctx.query.get('fetch-owner') === 'true'),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html (version 1, marker-based). */
export async function listObjects(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const marker = ctx.query.get('marker') ?? '';
  const maxKeys = readMaxKeys(ctx);
  const enc = encoder(ctx);
  const page = listPage(s3, bucket, s3.objects.index(bucket), { prefix, delimiter, after: marker, maxKeys });
  sendXml(ctx, 200, 'ListBucketResult', {
    Name: bucket,
    // Version 1 leaves its own Prefix unencoded even with encoding-type=url [SDK botocore
    // handlers: it decodes only Delimiter, Marker, NextMarker, keys and common prefixes there;
    // for V2 also Prefix]; ceph/s3-tests test_bucket_list_prefix_unreadable relies on it.
    Prefix: prefix,
    Marker: enc(marker),
    ...(page.truncated && delimiter && page.last !== undefined ? { NextMarker: enc(page.last) } : {}),
    MaxKeys: maxKeys,
    ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
    ...(ctx.query.has('encoding-type') ? { EncodingType: 'url' } : {}),
    IsTruncated: page.truncated,
    Contents: contents(page.contents, enc, true),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
  });
}

/** Continuation tokens are opaque to clients: base64 of the last key or prefix returned. */
const encodeToken = (last: string) => Buffer.from(JSON.stringify({ after: last })).toString('base64');

function decodeToken(token: string): string | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    return typeof value.after === 'string' ? value.after : undefined;
  } catch {
    return undefined;
  }
}
