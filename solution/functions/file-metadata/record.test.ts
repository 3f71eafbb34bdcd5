import { describe, expect, it } from 'vitest';
import { isFileRecord } from '../lib/file-record.ts';
import { buildFileRecord, decodeEventKey, displayName, MAX_NAME_LENGTH, metadataKeyFor } from './record.ts';

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('decodeEventKey', () => {
  it.each([
    ['incoming/red+flower.jpg', 'incoming/red flower.jpg'],
    ['incoming/a%40b.png', 'incoming/a@b.png'],
    ['incoming/a%2Bb.png', 'incoming/a+b.png'],
    ['incoming/r%C3%A9sum%C3%A9.pdf', 'incoming/résumé.pdf'],
    ['incoming/dir1/testfile.txt', 'incoming/dir1/testfile.txt'],
    ['incoming/100%.txt', 'incoming/100%.txt'],
  ])('%s → %s', (raw, key) => {
    expect(decodeEventKey(raw)).toBe(key);
  });
});

describe('metadataKeyFor', () => {
  it('maps incoming/<name> to metadata/<name>.json', () => {
    expect(metadataKeyFor(`incoming/${UUID}-cat.png`, 'incoming/', 'metadata/')).toBe(
      `metadata/${UUID}-cat.png.json`,
    );
  });

  it.each(['metadata/x.json', 'incoming', 'incoming/', 'incoming-old/x', 'other/incoming/x'])(
    'ignores %s (outside the upload prefix)',
    (key) => {
      expect(metadataKeyFor(key, 'incoming/', 'metadata/')).toBeUndefined();
    },
  );
});

describe('displayName', () => {
  it('prefers the URI-encoded original name from the object metadata', () => {
    expect(
      displayName(`incoming/${UUID}-r_sum.pdf`, 'incoming/', { 'original-name': 'r%C3%A9sum%C3%A9.pdf' }),
    ).toBe('résumé.pdf');
  });

  it('keeps a stored name that is not valid URI encoding as it is', () => {
    expect(displayName('incoming/x', 'incoming/', { 'original-name': '100%' })).toBe('100%');
  });

  it('falls back to the key without prefix and uuid', () => {
    expect(displayName(`incoming/${UUID}-cat.png`, 'incoming/')).toBe('cat.png');
    expect(displayName('incoming/plain.txt', 'incoming/', { 'original-name': '' })).toBe('plain.txt');
    expect(displayName(`incoming/${UUID}-`, 'incoming/')).toBe(`${UUID}-`);
  });

  it('cuts very long names at a whole character', () => {
    const name = displayName('incoming/x', 'incoming/', {
      'original-name': encodeURIComponent('😀'.repeat(400)),
    });
    expect(name).toBe('😀'.repeat(MAX_NAME_LENGTH));
  });
});

describe('buildFileRecord', () => {
  const key = `incoming/${UUID}-cat.png`;

  it('builds the record of docs/contracts.md from HeadObject', () => {
    const record = buildFileRecord(
      key,
      {
        ContentLength: 2048,
        ContentType: 'image/png',
        ETag: '"9e107d9d372bb6826bd81d3542a419d6"',
        LastModified: new Date('2026-03-01T12:00:00Z'),
        Metadata: { 'original-name': 'my%20cat.png' },
      },
      'incoming/',
      new Date('2030-01-01T00:00:00Z'),
    );
    expect(record).toEqual({
      key,
      name: 'my cat.png',
      size: 2048,
      contentType: 'image/png',
      etag: '9e107d9d372bb6826bd81d3542a419d6',
      uploadedAt: '2026-03-01T12:00:00.000Z',
    });
    expect(isFileRecord(record)).toBe(true);
  });

  it('fills defaults when S3 says little', () => {
    const record = buildFileRecord(key, {}, 'incoming/', new Date('2030-01-01T00:00:00Z'));
    expect(record).toEqual({
      key,
      name: 'cat.png',
      size: 0,
      contentType: 'binary/octet-stream',
      etag: '',
      uploadedAt: '2030-01-01T00:00:00.000Z',
    });
  });
});
