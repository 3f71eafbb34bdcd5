import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../lib/http.ts';
import { readTicketConfig } from './config.ts';
import {
  encodeOriginalName,
  MAX_ORIGINAL_NAME_FIELD,
  OBJECT_KEY_PATTERN,
  objectKeyFor,
  objectKeyPattern,
  parseTicketRequest,
  planTicket,
  SAFE_NAME_PATTERN,
  sanitizeFilename,
} from './ticket.ts';

const config = readTicketConfig({ UPLOAD_BUCKET: 'lab-bucket' });
const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

function codeOf(text: string | undefined): string {
  try {
    parseTicketRequest(text, config);
  } catch (err) {
    if (err instanceof ClientError) return `${err.status} ${err.code}`;
    throw err;
  }
  return 'accepted';
}

describe('parseTicketRequest', () => {
  it.each([
    ['no body', undefined, '400 INVALID_JSON'],
    ['blank body', '  ', '400 INVALID_JSON'],
    ['broken JSON', '{"filename": ', '400 INVALID_JSON'],
    ['JSON null', 'null', '400 INVALID_BODY'],
    ['JSON array', '[{"filename":"a.png"}]', '400 INVALID_BODY'],
    ['JSON string', '"a.png"', '400 INVALID_BODY'],
    ['JSON number', '42', '400 INVALID_BODY'],
    ['missing filename', '{}', '400 MISSING_FILENAME'],
    ['null filename', '{"filename": null}', '400 MISSING_FILENAME'],
    ['numeric filename', '{"filename": 7}', '400 MISSING_FILENAME'],
    ['array filename', '{"filename": ["a.png"]}', '400 MISSING_FILENAME'],
    ['empty filename', '{"filename": ""}', '400 MISSING_FILENAME'],
    ['blank filename', '{"filename": " \\t "}', '400 MISSING_FILENAME'],
    ['fractional size', '{"filename": "a.png", "size": 1.5}', '400 INVALID_SIZE'],
    ['negative size', '{"filename": "a.png", "size": -1}', '400 INVALID_SIZE'],
    ['string size', '{"filename": "a.png", "size": "100"}', '400 INVALID_SIZE'],
    ['infinite size', '{"filename": "a.png", "size": 1e400}', '400 INVALID_SIZE'],
    ['zero size', '{"filename": "a.png", "size": 0}', '400 EMPTY_FILE'],
    ['size over the limit', `{"filename": "a.png", "size": ${config.maxBytes + 1}}`, '400 FILE_TOO_LARGE'],
    ['numeric content type', '{"filename": "a.png", "contentType": 5}', '400 INVALID_CONTENT_TYPE'],
    ['malformed content type', '{"filename": "a.png", "contentType": "png"}', '400 INVALID_CONTENT_TYPE'],
    [
      'disallowed content type',
      '{"filename": "a.html", "contentType": "text/html"}',
      '400 CONTENT_TYPE_NOT_ALLOWED',
    ],
    ['huge body', JSON.stringify({ filename: 'a'.repeat(70_000) }), '400 BODY_TOO_LARGE'],
  ])('refuses %s', (_name, text, expected) => {
    expect(codeOf(text)).toBe(expected);
  });

  it('accepts a full request and normalises the content type', () => {
    const text = JSON.stringify({ filename: 'cat.png', contentType: 'Image/PNG; charset=x', size: 2048 });
    expect(parseTicketRequest(text, config)).toEqual({
      filename: 'cat.png',
      contentType: 'image/png',
      size: 2048,
    });
  });

  it('treats null and "" optional fields as absent', () => {
    const text = JSON.stringify({ filename: 'x.bin', contentType: '', size: null });
    expect(parseTicketRequest(text, config)).toEqual({ filename: 'x.bin' });
  });

  it('accepts exactly the limit, and type/* entries from the environment', () => {
    const custom = readTicketConfig({
      UPLOAD_BUCKET: 'b',
      ALLOWED_CONTENT_TYPES: 'image/*',
      MAX_UPLOAD_BYTES: '10',
    });
    expect(parseTicketRequest('{"filename":"a","contentType":"image/avif","size":10}', custom).size).toBe(10);
    expect(() => parseTicketRequest('{"filename":"a","contentType":"text/plain"}', custom)).toThrow(
      /image\/\*/,
    );
  });

  it('never throws anything but a ClientError, whatever JSON arrives', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, wrap) => {
        const text = JSON.stringify(wrap ? { filename: value, contentType: value, size: value } : value);
        try {
          parseTicketRequest(text, config);
        } catch (err) {
          expect(err).toBeInstanceOf(ClientError);
        }
      }),
    );
  });
});

describe('sanitizeFilename', () => {
  it.each([
    ['cat.png', 'cat.png'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\x\\y.png', 'y.png'],
    ['/var/tmp/', 'tmp'],
    ['.', 'file'],
    ['..', 'file'],
    ['...', 'file'],
    ['', 'file'],
    ['///', 'file'],
    ['.bashrc', 'bashrc'],
    ['..hidden..txt', 'hidden.txt'],
    ['my holiday photo (1).JPG', 'my_holiday_photo_1.JPG'],
    ['résumé.pdf', 'resume.pdf'],
    ['文件.pdf', 'file.pdf'],
    ['😀😀😀', 'file'],
    ['a\u0000b\u001f\u007fc\n.txt', 'abc.txt'],
    ['tab\there.txt', 'tabhere.txt'],
    ['a\\..\\..\\b.txt', 'b.txt'],
    ['-rf', 'rf'],
    ['name.', 'name'],
    ['x.tar.gz', 'x.tar.gz'],
    ['\uD800lone.png', 'lone.png'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it('bounds a 5000-character name to 100 characters and keeps its extension', () => {
    const safe = sanitizeFilename(`${'a'.repeat(5000)}.png`);
    expect(safe).toHaveLength(100);
    expect(safe.endsWith('.png')).toBe(true);
    expect(sanitizeFilename('b'.repeat(5000))).toBe('b'.repeat(100));
  });

  it('always yields a name matching SAFE_NAME_PATTERN', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (input) => {
        expect(sanitizeFilename(input)).toMatch(SAFE_NAME_PATTERN);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('object keys', () => {
  it('are <prefix><uuid>-<safe name> and match the documented pattern', () => {
    const key = objectKeyFor('incoming/', '../../etc/passwd', UUID);
    expect(key).toBe(`incoming/${UUID}-passwd`);
    expect(key).toMatch(OBJECT_KEY_PATTERN);
  });

  it.each([
    `incoming/${UUID}-../x`,
    `incoming/${UUID}-.env`,
    `incoming/${UUID}-`,
    `incoming/not-a-uuid-x.png`,
    `metadata/${UUID}-x.png`,
    `incoming/${UUID}-a/b.png`,
  ])('the pattern rejects %s', (key) => {
    expect(key).not.toMatch(OBJECT_KEY_PATTERN);
  });

  it('escapes the prefix', () => {
    expect(`up+loads/${UUID}-x`).toMatch(objectKeyPattern('up+loads/'));
    expect(`uploads/${UUID}-x`).not.toMatch(objectKeyPattern('up+loads/'));
  });
});

describe('encodeOriginalName', () => {
  it('URI-encodes, drops control characters and repairs lone surrogates', () => {
    expect(encodeOriginalName('my photo.png')).toBe('my%20photo.png');
    expect(decodeURIComponent(encodeOriginalName('ré\u0000sumé 😀.pdf'))).toBe('résumé 😀.pdf');
    expect(decodeURIComponent(encodeOriginalName('a\uD800b'))).toBe('a\uFFFDb');
  });

  it('stays under the metadata budget and cuts at a whole character', () => {
    const encoded = encodeOriginalName('😀'.repeat(1000));
    expect(encoded.length).toBeLessThanOrEqual(MAX_ORIGINAL_NAME_FIELD);
    expect(decodeURIComponent(encoded)).toBe('😀'.repeat(encoded.length / 12));
  });

  it('falls back to the safe name when nothing printable is left', () => {
    expect(encodeOriginalName('\u0001\u0002')).toBe('file');
  });
});

describe('planTicket', () => {
  it('carries the limits from the configuration', () => {
    const plan = planTicket({ filename: 'a b.png', contentType: 'image/png' }, config, UUID);
    expect(plan).toEqual({
      bucket: 'lab-bucket',
      key: `incoming/${UUID}-a_b.png`,
      maxBytes: 10 * 1024 * 1024,
      expiresSeconds: 900,
      contentType: 'image/png',
      originalName: 'a%20b.png',
    });
    expect(planTicket({ filename: 'a' }, config, UUID)).not.toHaveProperty('contentType');
  });
});
