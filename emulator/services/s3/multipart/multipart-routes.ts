import type { RequestContext } from '../../../core/context.ts';
import type { Operation } from '../../../core/env.ts';
import { s3Authorization } from '../access/bucket-access.ts';
import type { S3Model } from '../model/s3-model.ts';
import { completeMultipartUpload } from './complete-upload.ts';
import { createMultipartUpload } from './create-upload.ts';
import { abortMultipartUpload, listMultipartUploads, listParts } from './list-uploads.ts';
import { uploadPart, uploadPartCopy } from './upload-part.ts';

type Handler = (ctx: RequestContext, s3: S3Model, bucket: string, key: string) => Promise<void>;

/** Multipart operations by `METHOD subresources` (object level): AWS name, IAM action, handler. */
const OBJECT_OPS: Record<string, [string, string, Handler]> = {
  'POST uploads': ['CreateMultipartUpload', 's3:PutObject', createMultipartUpload],
  'PUT partNumber,uploadId': ['UploadPart', 's3:PutObject', uploadPart],
  'POST uploadId': ['CompleteMultipartUpload', 's3:PutObject', completeMultipartUpload],
  'DELETE uploadId': ['AbortMultipartUpload', 's3:AbortMultipartUpload', abortMultipartUpload],
  'GET uploadId': ['ListParts', 's3:ListMultipartUploadParts', listParts],
};

/**
 * The multipart upload operation a request names, if any (`present`: the S3 subresources in its
 * query); IAM actions per https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 */
export function resolveMultipart(
  ctx: RequestContext,
  s3: S3Model,
  bucket: string,
  key: string | undefined,
  present: string[],
): Operation | undefined {
  const subs = [...present].sort().join(',');
  if (key === undefined)
    return ctx.method === 'GET' && subs === 'uploads'
      ? {
          name: 'ListMultipartUploads',
          authorization: s3Authorization(s3, bucket, undefined, 's3:ListBucketMultipartUploads'),
          run: () => listMultipartUploads(ctx, s3, bucket),
        }
      : undefined;
  const entry = OBJECT_OPS[`${ctx.method} ${subs}`];
  if (!entry) return undefined;
  const copy = entry[0] === 'UploadPart' && ctx.header('x-amz-copy-source') !== undefined;
  const [name, action, handler] = copy ? (['UploadPartCopy', entry[1], uploadPartCopy] as const) : entry;
  return {
    name,
    // The bucket policy and ACLs count, as for every object operation (§8).
    authorization: s3Authorization(s3, bucket, key, action),
    run: () => handler(ctx, s3, bucket, key),
  };
}
