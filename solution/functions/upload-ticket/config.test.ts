import { describe, expect, it } from 'vitest';
import { ConfigError } from '../lib/env.ts';
import { DEFAULT_ALLOWED_CONTENT_TYPES, readTicketConfig } from './config.ts';

describe('readTicketConfig', () => {
  it('fills the documented defaults', () => {
    expect(readTicketConfig({ UPLOAD_BUCKET: 'b' })).toEqual({
      region: 'us-east-1',
      bucket: 'b',
      uploadPrefix: 'incoming/',
      maxBytes: 10485760,
      expiresSeconds: 900,
      allowedContentTypes: DEFAULT_ALLOWED_CONTENT_TYPES,
    });
  });

  it('reads the region and the endpoint override (the S3-specific one first)', () => {
    const config = readTicketConfig({
      UPLOAD_BUCKET: 'b',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://general:1',
      AWS_ENDPOINT_URL_S3: 'http://s3-only:2',
    });
    expect(config).toMatchObject({ region: 'eu-west-1', endpoint: 'http://s3-only:2' });
  });

  it('parses ALLOWED_CONTENT_TYPES as a lower-case comma list', () => {
    const config = readTicketConfig({ UPLOAD_BUCKET: 'b', ALLOWED_CONTENT_TYPES: ' Image/PNG , text/* ,' });
    expect(config.allowedContentTypes).toEqual(['image/png', 'text/*']);
  });

  it.each([
    [{}, /CONFIG: UPLOAD_BUCKET is not set/],
    [{ UPLOAD_BUCKET: '  ' }, /UPLOAD_BUCKET is not set/],
    [{ UPLOAD_BUCKET: 'b', MAX_UPLOAD_BYTES: '10MB' }, /MAX_UPLOAD_BYTES must be a positive whole number/],
    [{ UPLOAD_BUCKET: 'b', MAX_UPLOAD_BYTES: '0' }, /MAX_UPLOAD_BYTES/],
    [{ UPLOAD_BUCKET: 'b', MAX_UPLOAD_BYTES: String(6 * 1024 ** 3) }, /at most 5368709120/],
    [{ UPLOAD_BUCKET: 'b', UPLOAD_EXPIRES_SECONDS: '-5' }, /UPLOAD_EXPIRES_SECONDS/],
    [{ UPLOAD_BUCKET: 'b', UPLOAD_PREFIX: 'incoming' }, /UPLOAD_PREFIX must end with "\/"/],
    [{ UPLOAD_BUCKET: 'b', ALLOWED_CONTENT_TYPES: 'png' }, /ALLOWED_CONTENT_TYPES must be a comma list/],
  ])('fails loudly on %j', (env, message) => {
    expect(() => readTicketConfig(env)).toThrow(ConfigError);
    expect(() => readTicketConfig(env)).toThrow(message);
  });
});
