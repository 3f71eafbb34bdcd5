import type { CheckContext } from '../context.ts';
import { postForm, type UploadFile } from './http.ts';
import { field, type Ticket } from './ticket.ts';

/** A small text file of exactly `size` bytes, named after the run, that the checker uploads. */
export function probeFile(ctx: CheckContext, purpose: string, size = 64): UploadFile {
  const head = `presigned-upload-lab checker ${ctx.runId} ${purpose}\n`;
  const body = head.length >= size ? head.slice(0, size) : head + '.'.repeat(size - head.length);
  return { name: `lab-check-${ctx.runId}-${purpose}.txt`, type: 'text/plain', body };
}

/**
 * Uploads a probe file with a ticket exactly as the browser would: its fields, then the file.
 * `change` adjusts the fields first (a different key, an extra field); the object that may land is
 * registered for cleanup before the request leaves.
 */
export async function uploadWithTicket(
  ctx: CheckContext,
  ticket: Ticket,
  purpose: string,
  change: (fields: Record<string, string>) => Record<string, string> = (f) => f,
) {
  const fields = change({ ...ticket.upload.fields });
  const file = probeFile(ctx, purpose);
  const key = (field(fields, 'key') ?? ticket.object_key).replace('${filename}', file.name);
  ctx.uploads.add(key);
  const type = field(fields, 'content-type');
  const answer = await postForm(ticket.upload.url, fields, type ? { ...file, type } : file);
  if (answer.status >= 300) ctx.uploads.forget(key);
  return { key, fields, answer };
}

/**
 * An upload the checker signs with its own credentials (no ticket function needed), as a browser
 * POST: the same kind of upload, and the same S3 event, as the student's page makes.
 */
export async function checkerPost(ctx: CheckContext, purpose: string, headers: Record<string, string> = {}) {
  const key = `${ctx.target.uploadPrefix}lab-check-${ctx.runId}-${purpose}.txt`;
  const { createPresignedPost } = await import('@aws-sdk/s3-presigned-post');
  const { url, fields } = await createPresignedPost(ctx.aws.s3, {
    Bucket: ctx.target.bucket,
    Key: key,
    Expires: 300,
  });
  ctx.uploads.add(key);
  const answer = await postForm(url, fields, probeFile(ctx, purpose), headers);
  if (answer.status >= 300) ctx.uploads.forget(key);
  return { key, answer };
}
