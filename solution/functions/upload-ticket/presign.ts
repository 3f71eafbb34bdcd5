import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { TicketPlan } from './ticket.ts';

/** The form a browser posts to S3: send every field, then the file last. */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

/**
 * Signs a POST policy for exactly `plan.key`: the SDK adds an exact condition for the key, the
 * bucket and every field below, so S3 refuses another key, another content type, a file outside
 * 1..maxBytes, or a form posted after `plan.expiresSeconds`. Signing is local; S3 checks the
 * signer's `s3:PutObject` permission only when the browser posts.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
export async function presignUpload(client: S3Client, plan: TicketPlan): Promise<UploadForm> {
  // LAB(ticket-function)
  const fields: Record<string, string> = { 'x-amz-meta-original-name': plan.originalName };
  if (plan.contentType !== undefined) fields['Content-Type'] = plan.contentType;
  const { url, fields: signed } = await createPresignedPost(client, {
    Bucket: plan.bucket,
    Key: plan.key,
    Conditions: [['content-length-range', 1, plan.maxBytes]],
    Fields: fields,
    Expires: plan.expiresSeconds,
  });
  return { url, fields: signed };
  // END LAB
}
