import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { UploadForm } from '../../../solution/functions/upload-ticket/presign.ts';
import type { TicketPlan } from '../../../solution/functions/upload-ticket/ticket.ts';

/** Mistake: the size range copied from an example (S3's 5 GiB POST limit), not MAX_UPLOAD_BYTES. */
export async function presignUpload(client: S3Client, plan: TicketPlan): Promise<UploadForm> {
  const fields: Record<string, string> = { 'x-amz-meta-original-name': plan.originalName };
  if (plan.contentType !== undefined) fields['Content-Type'] = plan.contentType;
  return createPresignedPost(client, {
    Bucket: plan.bucket,
    Key: plan.key,
    Conditions: [['content-length-range', 1, 5 * 1024 ** 3]],
    Fields: fields,
    Expires: plan.expiresSeconds,
  });
}
