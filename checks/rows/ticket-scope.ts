import { fail } from '../check-failure.ts';
import { hint } from '../hints.ts';
import { policyScope } from '../lib/policy-scope.ts';
import { uploadWithTicket } from '../lib/probe-file.ts';
import { decodePolicy, freshTicket } from '../lib/ticket.ts';
import type { Check } from '../types.ts';

/** At most 15 minutes, with a minute for clock skew between the checker and AWS. */
const MAX_EXPIRY_S = 900;
const SKEW_S = 60;
const EXTRA_FIELD = 'x-amz-meta-lab-extra';

export const ticketScope: Check = {
  id: 'ticket-scope',
  title: 'The ticket is narrow: one key, 15 minutes, a size limit',
  step: 'Keep the ticket narrow',
  needs: ['put-permission'],
  async run(ctx) {
    const prefix = ctx.target.uploadPrefix;
    const [forKey, forField] = await Promise.all([
      freshTicket(ctx, 'scope-key'),
      freshTicket(ctx, 'scope-field'),
    ]);
    const policy = decodePolicy(forKey.upload.fields);
    if (!policy) throw new Error('the ticket has no readable policy field');
    const scope = policyScope(policy);
    const outsideKey = `lab-check-${ctx.runId}-outside.txt`;
    const [moved, extra] = await Promise.all([
      uploadWithTicket(ctx, forKey, 'scope-key', (f) => withKey(f, outsideKey)),
      uploadWithTicket(ctx, forField, 'scope-field', (f) => ({ ...f, [EXTRA_FIELD]: 'checker' })),
    ]);
    const evidence = {
      policy: scope,
      otherKeyUpload: { key: outsideKey, status: moved.answer.status, error: moved.answer.error ?? null },
      extraFieldUpload: {
        field: EXTRA_FIELD,
        status: extra.answer.status,
        error: extra.answer.error ?? null,
      },
      maxBytes: forKey.max_bytes ?? null,
    };
    if (moved.answer.status < 300) {
      fail(
        `A ticket for ${forKey.object_key} let the checker upload ${outsideKey}.`,
        hint('ticket-scope.key-not-confined', {
          triedKey: outsideKey,
          condition: scope.keyCondition ?? '(no key condition)',
          prefix,
        }),
        evidence,
      );
    }
    if (scope.expiresInSeconds > MAX_EXPIRY_S + SKEW_S) {
      fail(
        `The ticket expires in ${scope.expiresInSeconds} s.`,
        hint('ticket-scope.expiry-too-long', { seconds: scope.expiresInSeconds }),
        evidence,
      );
    }
    if (!scope.sizeRange)
      fail('The ticket has no content-length-range.', hint('ticket-scope.no-size-limit'), evidence);
    const max = scope.sizeRange[1];
    if (typeof forKey.max_bytes === 'number' && max > forKey.max_bytes) {
      fail(
        `The ticket allows ${max} bytes, more than max_bytes ${forKey.max_bytes}.`,
        hint('ticket-scope.size-limit-too-high', { max, maxBytes: forKey.max_bytes }),
        evidence,
      );
    }
    if (extra.answer.status < 300) {
      fail(
        `S3 accepted an upload with the extra field ${EXTRA_FIELD}.`,
        hint('ticket-scope.extra-field-accepted', { field: EXTRA_FIELD }),
        evidence,
      );
    }
    return {
      summary: `key ${scope.keyCondition}, ${scope.expiresInSeconds} s, ${scope.sizeRange.join('–')} bytes; another key → ${moved.answer.status}, extra field → ${extra.answer.status}`,
      ...evidence,
    };
  },
};

function withKey(fields: Record<string, string>, key: string): Record<string, string> {
  const name = Object.keys(fields).find((k) => k.toLowerCase() === 'key') ?? 'key';
  return { ...fields, [name]: key };
}
