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
  // TODO(ticket-function): sign a POST policy for exactly plan.key with createPresignedPost(client, {...}):
  //   Bucket plan.bucket, and Key plan.key (the exact key: never a `${filename}` pattern);
  //   Conditions [['content-length-range', 1, plan.maxBytes]], so S3 refuses empty and oversized files;
  //   Fields { 'x-amz-meta-original-name': plan.originalName }, plus 'Content-Type': plan.contentType
  //     when it is set (the SDK turns every field into an exact-match condition);
  //   Expires plan.expiresSeconds (at most 900).
  // Return { url, fields } from its answer. Then delete the two lines below.
  void [createPresignedPost, client, plan]; // keeps this stub compiling and linted
  throw new Error('TODO(ticket-function): create the presigned POST in presign.ts, see LAB.md Part 3');
  // END TODO
}
