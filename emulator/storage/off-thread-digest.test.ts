import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LocalDigest, wholeDigests } from './body-digest.ts';
import { OffThreadDigest } from './off-thread-digest.ts';

/** Feeds `chunks` as the stager does: waits whenever the digest asks it to. */
async function feed(digest: OffThreadDigest | LocalDigest, chunks: Buffer[]) {
  let waits = 0;
  for (const chunk of chunks) {
    const wait = digest.update(chunk);
    if (wait) {
      waits++;
      await wait;
    }
  }
  return { digests: await digest.digest(), waits };
}

describe('OffThreadDigest', () => {
  it('gives the same digests as hashing here, for 20 MiB in odd chunks (the ring fills and drains)', async () => {
    const source = randomBytes(3 * 1024 * 1024 + 7);
    const chunks: Buffer[] = [];
    for (let sent = 0, i = 0; sent < 20 * 1024 * 1024; i++) {
      const start = (i * 7919) % (source.length - 200_000);
      const chunk = source.subarray(start, start + 1 + ((i * 104_729) % 150_000));
      chunks.push(chunk);
      sent += chunk.length;
    }
    const whole = Buffer.concat(chunks);
    const options = { sha256: true, sha1: true, crc32: true };
    const [off, here] = await Promise.all([
      feed(new OffThreadDigest(options), chunks),
      feed(new LocalDigest(options), chunks),
    ]);
    expect(off.digests).toEqual(here.digests);
    expect(wholeDigests(whole, options)).toEqual(here.digests);
    expect(off.digests.md5).toEqual(createHash('md5').update(whole).digest());
    expect(off.digests.crc32).toBe(crc32(whole));
    // 20 MiB through a 1 MiB ring: the caller had to wait for the worker.
    expect(off.waits).toBeGreaterThan(0);
  });

  it('keeps concurrent jobs apart, and digests an empty body', async () => {
    const bodies = Array.from({ length: 6 }, (_, i) => randomBytes(i * 700_000));
    const results = await Promise.all(
      bodies.map((body) => feed(new OffThreadDigest(), [body.subarray(0, 1000), body.subarray(1000)])),
    );
    expect(results.map((r) => r.digests.md5.toString('hex'))).toEqual(
      bodies.map((b) => createHash('md5').update(b).digest('hex')),
    );
  });

  it('forgets an abandoned job without disturbing the next', async () => {
    const dropped = new OffThreadDigest();
    dropped.update(randomBytes(2_500_000));
    dropped.abandon();
    const body = randomBytes(1_500_000);
    const { digests } = await feed(new OffThreadDigest(), [body]);
    expect(digests.md5).toEqual(createHash('md5').update(body).digest());
  });
});
