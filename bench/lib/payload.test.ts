import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { MiB, multipartBody, payloadChunks, payloadMd5, seededBlock } from './payload.ts';

describe('seeded payloads', () => {
  it('are the same bytes for the same seed and differ for another', () => {
    expect(seededBlock(1).equals(seededBlock(1))).toBe(true);
    expect(seededBlock(1).equals(seededBlock(2))).toBe(false);
    expect(new Set(seededBlock(1).subarray(0, 4096)).size).toBeGreaterThan(200);
  });

  it('stream exactly the size asked, in chunks of at most 1 MiB, with the MD5 of those bytes', () => {
    const size = 2 * MiB + 5;
    const chunks = [...payloadChunks(size, 3)];
    expect(chunks.map((c) => c.length)).toEqual([MiB, MiB, 5]);
    expect(payloadMd5(size, 3)).toBe(createHash('md5').update(Buffer.concat(chunks)).digest('hex'));
  });
});

describe('multipartBody', () => {
  it('declares the length it streams: the fields, then the file part, then the closing boundary', async () => {
    const body = multipartBody({ key: 'bench/x', policy: 'p' }, 10, 4);
    const streamed = await text(body.stream());
    expect(Buffer.byteLength(streamed, 'latin1')).toBe(body.length);
    const boundary = body.contentType.split('boundary=')[1]!;
    expect(streamed.indexOf('name="key"')).toBeLessThan(streamed.indexOf('name="file"'));
    expect(streamed.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });
});
