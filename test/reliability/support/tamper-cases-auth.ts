import {
  akid,
  b64,
  crafted,
  day,
  mismatch,
  sameTicket,
  SIGNATURE_MISMATCH,
  type TamperCase,
} from './tamper-case-kit.ts';
import { field, formOf, signV2, withField, without } from './tamper-forms.ts';

/** Signature-version mix-ups and bad credentials, and S3's answer [aws-behavior.md §2.2–2.4, auth/credentials.ts]. */
export const AUTH_CASES: TamperCase[] = [
  {
    name: 'SigV4 signature presented as SigV2 (AWSAccessKeyId + signature)',
    build: (t) => {
      const form = without(formOf(t), 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature');
      return sameTicket(t, [
        ...form,
        ['AWSAccessKeyId', akid(t)],
        ['signature', t.upload.fields['X-Amz-Signature']!],
      ]);
    },
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
    fields: mismatch,
  },
  {
    name: 'SigV2 signature (HMAC-SHA1) in a SigV4 form, real secret',
    build: (_t, s) => {
      const { key, form } = crafted(s, s.signer);
      return {
        url: `${s.emulator.url}/${s.outputs.bucket}`,
        form: withField(form, 'X-Amz-Signature', signV2(field(form, 'Policy'), s.signer.secretAccessKey)),
        keys: [key],
      };
    },
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
  },
  // The text of this InvalidArgument is UNVERIFIED (aws-behavior.md): status and code only.
  {
    name: 'SigV2 algorithm name in X-Amz-Algorithm',
    build: (t) => sameTicket(t, withField(formOf(t), 'X-Amz-Algorithm', 'AWS-HMAC-SHA1')),
    status: 400,
    code: 'InvalidArgument',
  },
  {
    name: 'credential scope: another region',
    build: (t) =>
      sameTicket(
        t,
        withField(
          formOf(t),
          'X-Amz-Credential',
          t.upload.fields['X-Amz-Credential']!.replace('/us-east-1/', '/eu-west-1/'),
        ),
      ),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
  },
  {
    name: 'credential scope: another day',
    build: (t) =>
      sameTicket(
        t,
        withField(
          formOf(t),
          'X-Amz-Credential',
          t.upload.fields['X-Amz-Credential']!.replace(`/${day(t)}/`, '/20200101/'),
        ),
      ),
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: SIGNATURE_MISMATCH,
  },
  {
    name: 'unknown access key',
    build: (t) =>
      sameTicket(
        t,
        withField(
          formOf(t),
          'X-Amz-Credential',
          t.upload.fields['X-Amz-Credential']!.replace(akid(t), 'ASIAUNKNOWNKEY000000'),
        ),
      ),
    status: 403,
    code: 'InvalidAccessKeyId',
    message: 'The AWS Access Key Id you provided does not exist in our records.',
    fields: () => ({ AWSAccessKeyId: 'ASIAUNKNOWNKEY000000' }),
  },
  {
    name: 'session token removed',
    build: (t) => sameTicket(t, without(formOf(t), 'X-Amz-Security-Token')),
    status: 403,
    code: 'InvalidAccessKeyId',
    message: 'The AWS Access Key Id you provided does not exist in our records.',
  },
  {
    name: 'session token changed',
    build: (t) => sameTicket(t, withField(formOf(t), 'X-Amz-Security-Token', b64('forged-token'))),
    status: 400,
    code: 'InvalidToken',
    message: 'The provided token is malformed or otherwise invalid.',
  },
  {
    name: 'expired session token (a real session of the ticket role, expired)',
    build: (_t, s) => {
      const { key, form } = crafted(s, {
        accessKeyId: s.expired.accessKeyId,
        secretAccessKey: s.expired.secretAccessKey,
        sessionToken: s.expired.sessionToken,
      });
      return { url: `${s.emulator.url}/${s.outputs.bucket}`, form, keys: [key] };
    },
    status: 400,
    code: 'ExpiredToken',
    message: 'The provided token has expired.',
  },
  {
    name: 'expired policy, really signed with the signer secret',
    build: (_t, s) => {
      const { key, form } = crafted(s, s.signer, -60);
      return { url: `${s.emulator.url}/${s.outputs.bucket}`, form, keys: [key] };
    },
    status: 403,
    code: 'AccessDenied',
    message: 'Invalid according to Policy: Policy expired.',
  },
];
