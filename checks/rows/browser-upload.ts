import { fail } from '../check-failure.ts';
import type { CheckContext } from '../context.ts';
import { hint } from '../hints.ts';
import { getApi } from '../lib/api.ts';
import { bucketUrl } from '../lib/aws.ts';
import { debug } from '../lib/debug.ts';
import { parseS3Error, snippet } from '../lib/http.ts';
import { sameUrl, type SeenRequest } from '../lib/page-watch.ts';
import { readObject } from '../lib/stored-object.ts';
import { uploadThroughPage, type UploadSeen } from '../lib/upload-flow.ts';
import type { Check } from '../types.ts';

export const browserUpload: Check = {
  id: 'browser-upload',
  title: 'S3 accepts the direct browser upload',
  step: 'Upload file',
  needs: ['api-cors', 'bucket-cors', 'upload-route', 'put-permission'],
  browser: true,
  async run(ctx) {
    const seen = await uploadThroughPage(ctx);
    const { url, loaded, missing } = seen;
    if (loaded instanceof Error || !loaded?.ok()) {
      const problem =
        loaded instanceof Error
          ? (loaded.message.split('\n')[0] ?? '')
          : `status ${loaded?.status() ?? 'none'}`;
      fail(
        `The frontend did not load: ${problem}.`,
        hint('browser-upload.page-not-loading', { url, problem }),
      );
    }
    if (missing.length > 0) {
      fail(`The page has no ${missing.join(', ')}.`, hint('browser-upload.conventions', { url, missing }));
    }
    return judge(ctx, seen);
  },
};

async function judge(ctx: CheckContext, seen: UploadSeen) {
  const { ticketUrl, watch } = seen;
  const status = seen.status ?? { state: '', text: '', objectKey: '' };
  const bucketBase = bucketUrl(ctx.aws.target, ctx.target.bucket);
  const ticketReq = watch.find((r) => r.method === 'POST' && sameUrl(r.url, ticketUrl));
  const isBucketPost = (r: SeenRequest) =>
    r.method === 'POST' &&
    ((seen.ticket && sameUrl(r.url, seen.ticket.upload.url)) ||
      sameUrl(r.url, bucketBase) ||
      r.url.startsWith(`${bucketBase}/`));
  const bucketPost = watch.find(isBucketPost);
  const evidence: Record<string, unknown> = {
    ticketRequest: ticketReq
      ? { url: ticketReq.url, status: ticketReq.status ?? null, failure: ticketReq.failure ?? null }
      : null,
    bucketPost: bucketPost
      ? { url: bucketPost.url, status: bucketPost.status ?? null, failure: bucketPost.failure ?? null }
      : null,
    pageStatus: status,
    consoleErrors: watch.consoleErrors.slice(0, 5),
  };
  const apiCors = watch.corsError(ctx.target.apiEndpoint);
  if (apiCors) {
    const allowed = ((await getApi(ctx)).CorsConfiguration?.AllowHeaders ?? []).map((h) => h.toLowerCase());
    const sent = Object.keys(ticketReq?.headers ?? {}).map((h) => h.toLowerCase());
    const extraHeaders = allowed.includes('*') ? [] : sent.filter((h) => !allowed.includes(h));
    fail(
      'The browser blocked the ticket request (CORS).',
      hint('browser-upload.cors-api', { message: apiCors, extraHeaders }),
      evidence,
    );
  }
  if (!ticketReq) {
    fail(
      'The page never requested a ticket.',
      hint('browser-upload.no-ticket-request', { endpoint: ctx.target.apiEndpoint }),
      evidence,
    );
  }
  if (ticketReq.status !== 200) {
    const body = ticketReq.response
      ? snippet(await ticketReq.response.text().catch(() => ''), 100)
      : (ticketReq.failure ?? '');
    fail(
      `The page's ticket request got ${ticketReq.status ?? ticketReq.failure}.`,
      hint('browser-upload.ticket-refused', { status: ticketReq.status ?? 0, body }),
      evidence,
    );
  }
  const ticketTarget = seen.ticket?.upload.url ?? bucketBase;
  if (!bucketPost) {
    const elsewhere = watch.find(
      (r) => r.method === 'POST' && r !== ticketReq && r.contentType.startsWith('multipart/form-data'),
    );
    if (elsewhere)
      fail(
        `The page posted the file to ${elsewhere.url}.`,
        hint('browser-upload.through-api', { url: elsewhere.url, bucketUrl: ticketTarget }),
        evidence,
      );
    fail(
      'The page never posted the file to the bucket.',
      hint('browser-upload.no-bucket-post', { bucketUrl: ticketTarget }),
      evidence,
    );
  }
  const bucketCors = watch.corsError(bucketPost.url);
  if (bucketCors)
    fail(
      "The browser blocked S3's answer (CORS).",
      hint('browser-upload.cors-bucket', { message: bucketCors }),
      evidence,
    );
  if (bucketPost.status === undefined || bucketPost.status >= 300) {
    const error = bucketPost.response
      ? parseS3Error(await bucketPost.response.text().catch(() => ''))
      : undefined;
    evidence['s3Error'] = error ?? null;
    if (error?.condition)
      fail(
        `S3 refused the upload: ${error.message}`,
        hint('browser-upload.policy-condition', { condition: error.condition }),
        evidence,
      );
    const st = bucketPost.status ?? 0;
    fail(
      `S3 refused the upload: ${st} ${error?.code ?? bucketPost.failure ?? ''}.`,
      hint('browser-upload.s3-refused', {
        status: st,
        code: error?.code ?? '',
        message: error?.message ?? bucketPost.failure ?? '',
      }),
      evidence,
    );
  }
  const key = seen.key ?? '';
  const stored = await (seen.stored ?? readObject(ctx, key, seen.fileBody.length));
  debug('object read back');
  evidence['object'] = stored ? { key, size: stored.size, etag: stored.etag } : null;
  // The browser's part starts with the run, so the row's own time (after its needs) is not its cost.
  evidence['browserMs'] = (seen.readBackAt ?? Date.now()) - seen.startedAt;
  if (!stored)
    fail(
      `S3 answered ${bucketPost.status}, but there is no object ${key}.`,
      hint('browser-upload.not-stored', { key }),
      evidence,
    );
  if (stored.body !== seen.fileBody) {
    fail(
      `${key} holds ${stored.size} bytes that are not the ${seen.fileBody.length}-byte file the page was given.`,
      hint('browser-upload.wrong-bytes', { key, size: stored.size, wanted: seen.fileBody.length }),
      evidence,
    );
  }
  if (status.state !== 'ok' || status.objectKey !== key) {
    fail(
      `S3 stored ${key}, but the page did not report it.`,
      hint('browser-upload.not-reported', { state: status.state, text: status.text }),
      evidence,
    );
  }
  return {
    summary: `the page got a ticket, POSTed to ${bucketPost.url} (${bucketPost.status}) and reported ${key}`,
    key,
    ...evidence,
  };
}
