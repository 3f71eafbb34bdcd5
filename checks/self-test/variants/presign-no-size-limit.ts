import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { UploadForm } from '../../../solution/functions/upload-ticket/presign.ts';
import type { TicketPlan } from '../../../solution/functions/upload-ticket/ticket.ts';

/** Mistake: no `content-length-range`, so a ticket holder may upload any size. */
export async function presignUpload(client: S3Client, plan: TicketPlan): Promise<UploadForm> {
  const fields: Record<string, string> = { 'x-amz-meta-original-name': plan.originalName };
  if (plan.contentType !== undefined) fields['Content-Type'] = plan.contentType;
  return createPresignedPost(client, {
    Bucket: plan.bucket,
    Key: plan.key,
    Fields: fields,
    Expires: plan.expiresSeconds,
  });
}
