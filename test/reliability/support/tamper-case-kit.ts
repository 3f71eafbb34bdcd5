import { randomUUID } from 'node:crypto';
import { craftForm, field, formOf, withField, type Form, type Ticket } from './tamper-forms.ts';
import type { TamperStack } from './tamper-stack.ts';

/** One tampered POST: where it goes, the form, the file, and keys that must stay empty. */
export interface Attempt {
  url: string;
  form: Form;
  file?: Uint8Array | string;
  filename?: string;
  keys?: string[];
}

export interface TamperCase {
  name: string;
  build(ticket: Ticket, stack: TamperStack): Attempt | Promise<Attempt>;
  status: number;
  code: string;
  /** AWS's message, where aws-behavior.md records it. */
  message?: string | ((ticket: Ticket, attempt: Attempt) => string);
  fields?: (ticket: Ticket, attempt: Attempt) => Record<string, string>;
}

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
export const failed = (condition: string) =>
  `Invalid according to Policy: Policy Condition failed: ${condition}`;
export const keyFailed = (t: Ticket) => failed(`["eq", "$key", "${t.object_key}"]`);
export const missing = (name: string) =>
  `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`;
export const akid = (t: Ticket) => t.upload.fields['X-Amz-Credential']!.split('/')[0]!;
export const day = (t: Ticket) => t.upload.fields['X-Amz-Date']!.slice(0, 8);
export const sameTicket = (t: Ticket, form: Form, extra: Partial<Attempt> = {}): Attempt => ({
  url: t.upload.url,
  form,
  ...extra,
});
export const mismatch = (t: Ticket, a: Attempt) => ({
  AWSAccessKeyId: akid(t),
  StringToSign: field(a.form, 'Policy'),
});
export const swapKey = (t: Ticket, key: string, filename?: string): Attempt =>
  sameTicket(t, withField(formOf(t), 'key', key), {
    keys: [key.replace('${filename}', filename ?? '')],
    ...(filename ? { filename } : {}),
  });
export const editPolicy = (
  t: Ticket,
  edit: (doc: { expiration: string; conditions: unknown[] }) => string,
): Attempt => {
  const doc = JSON.parse(Buffer.from(t.upload.fields['Policy']!, 'base64').toString()) as {
    expiration: string;
    conditions: unknown[];
  };
  return sameTicket(t, withField(formOf(t), 'Policy', edit(doc)));
};
export const b64 = (text: string) => Buffer.from(text).toString('base64');
export const crafted = (stack: TamperStack, keys: Parameters<typeof craftForm>[2], seconds = 300) => {
  const key = `incoming/${randomUUID()}-crafted.txt`;
  return { key, form: craftForm(key, stack.outputs.bucket, keys, seconds) };
};
