import { fail, failMaybePropagating } from '../check-failure.ts';
import { isAwsError } from '../lib/aws.ts';
import { hint } from '../hints.ts';
import { redact, snippet } from '../lib/http.ts';
import {
  field,
  invokeUploadUrl,
  ticketFunction,
  ticketProblems,
  ticketRequest,
  type Ticket,
} from '../lib/ticket.ts';
import type { Check } from '../types.ts';

export const ticketFunctionRow: Check = {
  id: 'ticket-function',
  title: 'Returns URL, fields and object key',
  step: 'Create upload-ticket Lambda',
  needs: [],
  async run(ctx) {
    const name = ctx.target.functions.uploadTicket;
    const { bucket, uploadPrefix: prefix } = ctx.target;
    const config = await ticketFunction(ctx);
    if (!config) fail(`There is no function ${name}.`, hint('ticket-function.missing', { name }));
    const variables = config.Environment?.Variables ?? {};
    const evidence: Record<string, unknown> = {
      function: name,
      runtime: config.Runtime,
      environment: Object.keys(variables),
    };
    const uploadBucket = variables['UPLOAD_BUCKET'];
    if (!uploadBucket) {
      fail(
        `Function ${name} has no UPLOAD_BUCKET environment variable.`,
        hint('ticket-function.no-upload-bucket', { name, bucket, variables: Object.keys(variables) }),
        evidence,
      );
    }
    if (uploadBucket !== bucket) {
      fail(
        `UPLOAD_BUCKET is ${uploadBucket}, not ${bucket}.`,
        hint('ticket-function.wrong-bucket', { seen: uploadBucket, bucket }),
        evidence,
      );
    }
    // Pending or mid-update (§11.2): Lambda refuses Invoke, or still runs the previous code. A
    // failure seen then may be gone once the function settles, so the runner checks again.
    const settling =
      config.State === 'Pending'
        ? 'Pending (being created)'
        : config.LastUpdateStatus === 'InProgress'
          ? 'being updated (LastUpdateStatus InProgress)'
          : undefined;
    const failHere = settling ? failMaybePropagating : fail;
    let good, bad;
    try {
      [good, bad] = await Promise.all([
        invokeUploadUrl(ctx, ticketRequest(ctx, 'ticket-function')),
        invokeUploadUrl(ctx, JSON.stringify({ contentType: 'text/plain' })),
      ]);
    } catch (err) {
      if (!isAwsError(err, 'ResourceConflictException')) throw err;
      failMaybePropagating(
        `Lambda refused Invoke: ${(err as Error).message}`,
        hint('ticket-function.not-ready', { name, state: settling ?? 'not Active' }),
        evidence,
      );
    }
    evidence['validRequest'] = { status: good.status, body: snippet(good.rawBody, 600) };
    evidence['requestWithoutFilename'] = { status: bad.status, body: snippet(bad.rawBody) };
    if (good.functionError) {
      evidence['logTail'] = redact(good.logTail);
      const { errorType, errorMessage } = good.functionError;
      failHere(
        `The function threw ${errorType}: ${snippet(errorMessage, 200)}${good.logTail ? `\n--- log tail ---\n${lastLines(redact(good.logTail))}` : ''}`,
        hint('ticket-function.crashed', { errorType, errorMessage: snippet(errorMessage, 200) }),
        evidence,
      );
    }
    if (good.status !== 200) {
      failHere(
        `A valid request got status ${good.status}.`,
        hint('ticket-function.bad-status', { status: good.status, body: snippet(good.rawBody, 120) }),
        evidence,
      );
    }
    const missing = ticketProblems(good.body);
    if (missing.length > 0) {
      failHere(
        `The answer lacks ${missing.join(', ')}.`,
        hint('ticket-function.bad-shape', { missing }),
        evidence,
      );
    }
    const ticket = good.body as Ticket;
    const key = field(ticket.upload.fields, 'key') ?? '';
    for (const k of [ticket.object_key, key]) {
      if (!k.startsWith(prefix) || k.length === prefix.length) {
        failHere(
          `The ticket's key ${k} is not under ${prefix}.`,
          hint('ticket-function.key-outside-prefix', { key: k, prefix }),
          evidence,
        );
      }
    }
    if (bad.status !== 400) {
      if (bad.functionError) evidence['logTail'] = redact(bad.logTail);
      failHere(
        `A request without a filename got status ${bad.status}, not 400.`,
        hint('ticket-function.no-400', { status: bad.status }),
        evidence,
      );
    }
    return {
      summary: `a ticket for ${ticket.object_key}, fields ${Object.keys(ticket.upload.fields).join(', ')}; 400 on bad input`,
      ...evidence,
      ticket: {
        url: ticket.upload.url,
        fields: Object.keys(ticket.upload.fields),
        objectKey: ticket.object_key,
      },
    };
  },
};

function lastLines(log: string, n = 8): string {
  return log.split('\n').slice(-n).join('\n');
}
