import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { httpStatus, isAwsError } from '../aws-errors.ts';
import { change, type Change, type RunContext } from '../context.ts';
import { LabError } from '../errors.ts';
import { hasMissing, missingTags, tagList, tagRecord } from './tags.ts';

const ALL_BLOCKED: PublicAccessBlockConfiguration = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/** `forbidden` means the bucket exists but HeadBucket was refused: someone else's, or no s3:ListBucket. */
export async function bucketState(
  ctx: RunContext,
  bucket = ctx.names.bucket,
): Promise<'exists' | 'missing' | 'forbidden'> {
  try {
    await ctx.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return 'exists';
  } catch (err) {
    const status = httpStatus(err);
    if (status === 404 || isAwsError(err, 'NotFound', 'NoSuchBucket')) return 'missing';
    if (status === 301) {
      throw new LabError(
        'LAB_NAME_TAKEN',
        `bucket ${bucket} already exists in another region than ${ctx.target.region}. Deploy with --region set to that region, or choose another --name.`,
        { cause: err },
      );
    }
    if (status === 403) return 'forbidden';
    throw err;
  }
}

/** The private bucket: created if missing, Block Public Access all on, tagged. */
export async function ensureBucket(ctx: RunContext): Promise<Change> {
  const { s3 } = ctx.clients;
  const Bucket = ctx.names.bucket;
  if ((await bucketState(ctx)) !== 'exists') {
    // For a forbidden bucket CreateBucket tells whose it is.
    await createBucket(ctx);
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: ALL_BLOCKED }));
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tagList(ctx.names.tags) } }));
    return change('bucket', Bucket, 'created');
  }
  const updated: string[] = [];
  const block = await s3
    .send(new GetPublicAccessBlockCommand({ Bucket }))
    .then((r) => r.PublicAccessBlockConfiguration)
    .catch((err: unknown) => {
      if (isAwsError(err, 'NoSuchPublicAccessBlockConfiguration')) return undefined;
      throw err;
    });
  if (!block || Object.keys(ALL_BLOCKED).some((k) => block[k as keyof typeof ALL_BLOCKED] !== true)) {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: ALL_BLOCKED }));
    updated.push('Block Public Access');
  }
  const tags = await s3
    .send(new GetBucketTaggingCommand({ Bucket }))
    .then((r) => tagRecord(r.TagSet))
    .catch((err: unknown) => {
      if (isAwsError(err, 'NoSuchTagSet')) return {};
      throw err;
    });
  if (hasMissing(missingTags(tags, ctx.names.tags))) {
    const merged = { ...tags, ...ctx.names.tags };
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tagList(merged) } }));
    updated.push('tags');
  }
  return updated.length
    ? change('bucket', Bucket, 'updated', updated.join(', '))
    : change('bucket', Bucket, 'unchanged');
}

async function createBucket(ctx: RunContext): Promise<void> {
  const { region } = ctx.target;
  const Bucket = ctx.names.bucket;
  try {
    await ctx.clients.s3.send(
      new CreateBucketCommand({
        Bucket,
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  } catch (err) {
    throw createBucketError(err, Bucket);
  }
}

/** What a refused CreateBucket means for the person deploying. */
export function createBucketError(err: unknown, Bucket: string): unknown {
  if (isAwsError(err, 'BucketAlreadyExists')) {
    return new LabError(
      'LAB_NAME_TAKEN',
      `bucket name ${Bucket} is taken by another AWS account. Choose another prefix with --name (e.g. --name upload-lab-yourname).`,
      { cause: err },
    );
  }
  if (isAwsError(err, 'BucketAlreadyOwnedByYou')) {
    return new LabError(
      'LAB_MISSING_PERMISSION',
      `bucket ${Bucket} is yours but HeadBucket was refused. Grant s3:ListBucket on arn:aws:s3:::${Bucket}.`,
      { cause: err, action: 's3:ListBucket' },
    );
  }
  return err;
}
