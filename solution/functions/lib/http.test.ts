import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from './env.ts';
import { bodyText, ClientError, failureResult } from './http.ts';

beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => {
  vi.restoreAllMocks();
});

function answer(err: unknown) {
  const result = failureResult(err, 'upload-ticket');
  expect(result.headers['content-type']).toBe('application/json');
  return [result.statusCode, JSON.parse(result.body) as unknown];
}

describe('failureResult', () => {
  it('keeps a client error as it is', () => {
    expect(answer(new ClientError('MISSING_FILENAME', 'no name'))).toEqual([
      400,
      { error: 'no name', code: 'MISSING_FILENAME' },
    ]);
  });

  it('names a configuration mistake', () => {
    expect(answer(new ConfigError('UPLOAD_BUCKET is not set.'))).toEqual([
      500,
      {
        error: 'The upload-ticket function is misconfigured: CONFIG: UPLOAD_BUCKET is not set.',
        code: 'CONFIG',
      },
    ]);
  });

  it('says which lab step is missing when a stub throws', () => {
    const stub = new Error('TODO(ticket-function): create the presigned POST, see LAB.md Part 3');
    expect(answer(stub)).toEqual([501, { error: stub.message, code: 'NOT_IMPLEMENTED' }]);
  });

  it('leaks nothing of an unexpected error, and logs it', () => {
    const [status, body] = answer(new Error('secret internals at /var/task'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(body).toMatchObject({ code: 'INTERNAL' });
    expect(console.error).toHaveBeenCalledWith('upload-ticket: unexpected error', expect.any(Error));
  });
});

describe('bodyText', () => {
  it('decodes base64 bodies and treats an empty body as none', () => {
    expect(bodyText({ body: Buffer.from('{"a":"é"}').toString('base64'), isBase64Encoded: true })).toBe(
      '{"a":"é"}',
    );
    expect(bodyText({ body: '{"a":1}', isBase64Encoded: false })).toBe('{"a":1}');
    expect(bodyText({ body: '' })).toBeUndefined();
    expect(bodyText(null)).toBeUndefined();
  });
});
