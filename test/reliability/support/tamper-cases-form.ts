import { randomUUID } from 'node:crypto';
import { field, formOf, requestTicket, signV4, withField, without } from './tamper-forms.ts';
import {
  b64,
  editPolicy,
  failed,
  keyFailed,
  mismatch,
  missing,
  day,
  sameTicket,
  SIGNATURE_MISMATCH,
  swapKey,
  type TamperCase,
} from './tamper-case-kit.ts';

/** Tampered keys, policies, signatures, fields, sizes and types, and S3's answer [aws-behavior.md §2.2–2.3]. */
export const FORM_CASES: TamperCase[] = [
  {
    name: 'changed key: another name under the prefix',
    build: (t) => swapKey(t, `incoming/${randomUUID()}-other.txt`),
    status: 403,
    code: 'AccessDenied',
    message: keyFailed,
  },
  {
    name: 'changed key: outside the prefix',
    build: (t) => swapKey(t, 'metadata/forged.json'),
    status: 403,
    code: 'AccessDenied',
    message: keyFailed,
  },
  {
    name: 'changed key: path traversal',
    build: (t) => swapKey(t, 'incoming/../metadata/forged.json'),
    status: 403,
    code: 'AccessDenied',
    message: keyFailed,
  },
  {
    name: 'changed key: ${filename} placeholder',
    build: (t) => swapKey(t, 'incoming/${filename}', 'evil.html'),
    status: 403,
    code: 'AccessDenied',
    message: keyFailed,
  },
  {
    name: 'changed key: with the policy and signature of another ticket',
    // The other ticket's form, all of it valid, carrying this ticket's key.
    build: async (t, s) => {
      const other = await requestTicket(s.outputs.apiEndpoint, 'other.txt');
      return {
        url: other.upload.url,
        form: withField(formOf(other), 'key', t.object_key),
        keys: [other.object_key],
      };
    },
    status: 403,
    code: 'AccessDenied',
    message: (_t, a) => failed(`["eq", "$key", "${a.keys![0]}"]`),
  },
  {
    name: 'posted to another bucket',
    build: (t, s) => ({ url: `${s.emulator.url}/${s.otherBucket}`, form: formOf(t) }),
    status: 403,
    code: 'AccessDenied',
    message: (t) => failed(`["eq", "$bucket", "${t.bucket}"]`),
  },
  {
    name: 'changed policy: wider size range, re-encoded',
    build: (t) =>
      editPolicy(t, (doc) =>
        b64(
          JSON.stringify({
            ...doc,
            conditions: doc.conditions.map((c) =>
              Array.isArray(c) ? ['content-length-range', 1, 5 * 1024 ** 3] : c,
            ),
          }),
        ),
      ),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
    fields: mismatch,
  },
  {
    name: 'changed policy: key condition loosened to starts-with',
    build: (t) =>
      editPolicy(t, (doc) =>
        b64(
          JSON.stringify({
            ...doc,
            conditions: doc.conditions.map((c) =>
              JSON.stringify(c).startsWith('{"key"') ? ['starts-with', '$key', 'incoming/'] : c,
            ),
          }),
        ),
      ),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
    fields: mismatch,
  },
  {
    name: 're-encoded policy: same JSON, other whitespace',
    build: (t) => editPolicy(t, (doc) => b64(JSON.stringify(doc, null, 1))),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
    fields: mismatch,
  },
  {
    name: 're-encoded policy: same bytes, MIME line breaks',
    build: (t) => editPolicy(t, () => t.upload.fields['Policy']!.replace(/(.{76})/g, '$1\r\n')),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
  },
  {
    name: 'changed policy: expiration moved a day later',
    build: (t) =>
      editPolicy(t, (doc) =>
        b64(
          JSON.stringify({
            ...doc,
            expiration: new Date(Date.parse(doc.expiration) + 86_400_000).toISOString(),
          }),
        ),
      ),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
    fields: mismatch,
  },
  {
    name: 'changed signature: one hex digit',
    build: (t) => {
      const sig = t.upload.fields['X-Amz-Signature']!;
      return sameTicket(
        t,
        withField(formOf(t), 'X-Amz-Signature', sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0')),
      );
    },
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
    fields: (t, a) => ({ ...mismatch(t, a), SignatureProvided: field(a.form, 'X-Amz-Signature') }),
  },
  {
    name: 'changed signature: signed with the root secret instead',
    build: (t) =>
      sameTicket(
        t,
        withField(formOf(t), 'X-Amz-Signature', signV4(t.upload.fields['Policy']!, 'test', day(t))),
      ),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
  },
  {
    name: 'signature removed',
    build: (t) => sameTicket(t, without(formOf(t), 'X-Amz-Signature')),
    status: 400,
    code: 'InvalidArgument',
    message: missing('X-Amz-Signature'),
    fields: () => ({ ArgumentName: 'X-Amz-Signature' }),
  },
  {
    name: 'extra form field: acl=public-read',
    build: (t) => sameTicket(t, withField(formOf(t), 'acl', 'public-read')),
    status: 403,
    code: 'AccessDenied',
    message: 'Invalid according to Policy: Extra input fields: acl',
  },
  {
    name: 'extra form field: x-amz-meta-owner',
    build: (t) => sameTicket(t, withField(formOf(t), 'x-amz-meta-owner', 'mallory')),
    status: 403,
    code: 'AccessDenied',
    message: 'Invalid according to Policy: Extra input fields: x-amz-meta-owner',
  },
  {
    name: 'extra form field: success_action_redirect',
    build: (t) => sameTicket(t, withField(formOf(t), 'success_action_redirect', 'https://evil.example/')),
    status: 403,
    code: 'AccessDenied',
    message: 'Invalid according to Policy: Extra input fields: success_action_redirect',
  },
  {
    name: 'oversize file: the limit plus one byte',
    build: (t) => sameTicket(t, formOf(t), { file: new Uint8Array(10_485_761).fill(120) }),
    status: 400,
    code: 'EntityTooLarge',
    message: 'Your proposed upload exceeds the maximum allowed size',
    fields: () => ({ ProposedSize: '10485761', MaxSizeAllowed: '10485760' }),
  },
  {
    name: 'undersize file: empty',
    build: (t) => sameTicket(t, formOf(t), { file: new Uint8Array(0) }),
    status: 400,
    code: 'EntityTooSmall',
    message: 'Your proposed upload is smaller than the minimum allowed size',
    fields: () => ({ ProposedSize: '0', MinSizeAllowed: '1' }),
  },
  {
    name: 'other content type: text/html',
    build: (t) => sameTicket(t, withField(formOf(t), 'Content-Type', 'text/html')),
    status: 403,
    code: 'AccessDenied',
    message: failed('["eq", "$Content-Type", "text/plain"]'),
  },
  {
    name: 'content type field removed',
    build: (t) => sameTicket(t, without(formOf(t), 'Content-Type')),
    status: 403,
    code: 'AccessDenied',
    message: failed('["eq", "$Content-Type", "text/plain"]'),
  },
];
