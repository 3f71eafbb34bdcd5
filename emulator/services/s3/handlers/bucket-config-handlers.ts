import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { s3Headers, sendXml } from '../../../protocols/rest-xml.ts';
import { parseXml } from '../../../protocols/xml.ts';
import { readCheckedBody } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { PublicAccessBlock, Tag } from '../model/types.ts';
import { s3Errors } from '../s3-errors.ts';
import { xmlBool, xmlRoot, xmlStructs, xmlText } from '../xml-values.ts';

const BLOCK_FIELDS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

/**
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html — stored and
 * returned; enforced by the policy, ACL and authorization code in `access/`.
 */
export async function putPublicAccessBlock(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const root = xmlRoot(parseXml(await readCheckedBody(ctx, true)), 'PublicAccessBlockConfiguration');
  const block = Object.fromEntries(
    BLOCK_FIELDS.map((f) => [f, xmlBool(root[f])]),
  ) as unknown as PublicAccessBlock;
  await s3.buckets.update(bucket, (record) => {
    record.publicAccessBlock = block;
  });
  ctx.send(200, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html */
export async function getPublicAccessBlock(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const block = s3.buckets.get(bucket)?.publicAccessBlock;
  if (!block)
    throw new AwsError(
      'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found',
      {
        status: 404,
        fields: { BucketName: bucket },
      },
    );
  sendXml(ctx, 200, 'PublicAccessBlockConfiguration', block);
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeletePublicAccessBlock.html */
export async function deletePublicAccessBlock(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
): Promise<void> {
  await s3.buckets.update(bucket, (record) => {
    delete record.publicAccessBlock;
  });
  ctx.send(204, s3Headers(ctx));
}

/** Reads `<Tagging><TagSet><Tag><Key/><Value/></Tag>…` (bucket tagging, and the POST `tagging` field). */
export function parseTagging(body: Buffer | string): Tag[] {
  const root = xmlRoot(parseXml(body), 'Tagging');
  const set = root['TagSet'];
  const tags = xmlStructs(
    set === '' || set === undefined ? undefined : (set as Record<string, unknown>)['Tag'],
  ).map((t) => {
    const key = xmlText(t['Key']);
    if (key === undefined) throw s3Errors.malformedXml();
    return { Key: key, Value: xmlText(t['Value']) ?? '' };
  });
  const keys = new Set(tags.map((t) => t.Key));
  if (keys.size !== tags.length)
    throw new AwsError('InvalidTag', 'Cannot provide multiple Tags with the same key', { status: 400 });
  if (tags.length > 50)
    throw new AwsError('BadRequest', 'Bucket tag count cannot be greater than 50', { status: 400 });
  return tags;
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html */
export async function putBucketTagging(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const tags = parseTagging(await readCheckedBody(ctx, true));
  await s3.buckets.update(bucket, (record) => {
    record.tags = tags;
  });
  ctx.send(204, s3Headers(ctx));
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketTagging.html */
export async function getBucketTagging(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  const tags = s3.buckets.get(bucket)?.tags;
  if (!tags?.length)
    throw new AwsError('NoSuchTagSet', 'The TagSet does not exist', {
      status: 404,
      fields: { BucketName: bucket },
    });
  sendXml(ctx, 200, 'Tagging', { TagSet: { Tag: tags } });
}

/** https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketTagging.html */
export async function deleteBucketTagging(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  await s3.buckets.update(bucket, (record) => {
    delete record.tags;
  });
  ctx.send(204, s3Headers(ctx));
}
