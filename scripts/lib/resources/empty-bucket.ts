import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';
import { isAwsError } from '../aws-errors.ts';
import { change, type Change, type RunContext } from '../context.ts';

/** One page of keys (and versions) to delete, and the marker for the next page. */
interface Page {
  objects: ObjectIdentifier[];
  next: (() => Promise<Page>) | undefined;
}

function versionsPage(
  ctx: RunContext,
  Bucket: string,
  KeyMarker?: string,
  VersionIdMarker?: string,
): Promise<Page> {
  return ctx.clients.s3
    .send(
      new ListObjectVersionsCommand({
        Bucket,
        ...(KeyMarker ? { KeyMarker } : {}),
        ...(VersionIdMarker ? { VersionIdMarker } : {}),
      }),
    )
    .then((out) => ({
      objects: [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => ({
        Key: v.Key ?? '',
        // "null" is sent as listed: without a version id, a versioned bucket would get a delete
        // marker on top instead, and DeleteBucket would then find it not empty.
        ...(v.VersionId ? { VersionId: v.VersionId } : {}),
      })),
      next: out.IsTruncated
        ? () => versionsPage(ctx, Bucket, out.NextKeyMarker, out.NextVersionIdMarker)
        : undefined,
    }));
}

function objectsPage(ctx: RunContext, Bucket: string, ContinuationToken?: string): Promise<Page> {
  return ctx.clients.s3
    .send(new ListObjectsV2Command({ Bucket, ...(ContinuationToken ? { ContinuationToken } : {}) }))
    .then((out) => ({
      objects: (out.Contents ?? []).map((o) => ({ Key: o.Key ?? '' })),
      next: out.IsTruncated ? () => objectsPage(ctx, Bucket, out.NextContinuationToken) : undefined,
    }));
}

/**
 * Deletes every object version and delete marker (a bucket that never had versioning lists its
 * objects as version "null"), then the bucket. Where ListObjectVersions is not offered, plain
 * listing is used.
 */
export async function emptyAndDeleteBucket(ctx: RunContext, Bucket: string): Promise<Change> {
  let page: Page;
  try {
    page = await versionsPage(ctx, Bucket);
  } catch (err) {
    if (isAwsError(err, 'NoSuchBucket')) return change('bucket', Bucket, 'unchanged', 'absent');
    if (!isAwsError(err, 'NotImplemented', 'MethodNotAllowed')) throw err;
    page = await objectsPage(ctx, Bucket);
  }
  let count = 0;
  for (;;) {
    for (let i = 0; i < page.objects.length; i += 1000) {
      const Objects = page.objects.slice(i, i + 1000);
      const out = await ctx.clients.s3.send(
        new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }),
      );
      const failed = out.Errors ?? [];
      if (failed.length) {
        const first = failed[0];
        throw Object.assign(
          new Error(`DeleteObjects failed for ${failed.length} keys, e.g. ${first?.Key}: ${first?.Message}`),
          {
            name: first?.Code ?? 'DeleteObjectsFailed',
            $service: 'S3',
            $command: 'DeleteObjects',
          },
        );
      }
      count += Objects.length;
    }
    if (!page.next) break;
    page = await page.next();
  }
  try {
    await ctx.clients.s3.send(new DeleteBucketCommand({ Bucket }));
  } catch (err) {
    if (isAwsError(err, 'NoSuchBucket')) return change('bucket', Bucket, 'unchanged', 'absent');
    throw err;
  }
  return change('bucket', Bucket, 'deleted', `${count} object${count === 1 ? '' : 's'}`);
}
