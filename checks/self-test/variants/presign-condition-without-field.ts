import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { UploadForm } from '../../../solution/functions/upload-ticket/presign.ts';
import type { TicketPlan } from '../../../solution/functions/upload-ticket/ticket.ts';

/**
 * Mistake: a condition on Content-Type without returning the field, so the form never sends it and
 * S3 answers `Policy Condition failed: ["starts-with", "$Content-Type", "text/"]`.
 */
export async function presignUpload(client: S3Client, plan: TicketPlan): Promise<UploadForm> {
  return createPresignedPost(client, {
    Bucket: plan.bucket,
    Key: plan.key,
    Conditions: [
      ['content-length-range', 1, plan.maxBytes],
      ['starts-with', '$Content-Type', 'text/'],
    ],
    Fields: { 'x-amz-meta-original-name': plan.originalName },
    Expires: plan.expiresSeconds,
  });
}
