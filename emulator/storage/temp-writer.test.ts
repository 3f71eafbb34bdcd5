import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TempWriter } from './temp-writer.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'temp-writer-'));
  dirs.push(dir);
  return dir;
}
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('TempWriter', () => {
  it('writes 40 MiB of odd-sized chunks byte for byte, with background syncs on the way', async () => {
    const dir = await freshDir();
    const writer = await TempWriter.create(dir);
    const source = randomBytes(4 * 1024 * 1024 + 13);
    const all = createHash('md5');
    let waits = 0;
    for (let sent = 0, i = 0; sent < 40 * 1024 * 1024; i++) {
      const start = (i * 7919) % (source.length - 70_000);
      const chunk = source.subarray(start, start + 1 + ((i * 104_729) % 65_536));
      all.update(chunk);
      sent += chunk.length;
      const wait = writer.write(chunk);
      if (wait) {
        waits++;
        await wait;
      }
    }
    await writer.finish();
    expect(writer.path.startsWith(join(dir, '.tmp-'))).toBe(true);
    expect(md5(await readFile(writer.path))).toBe(all.digest('hex'));
    // Far more was written than the high-water mark allows in memory at once.
    expect(waits).toBeGreaterThan(0);
    expect(writer.backgroundSyncs).toBeGreaterThanOrEqual(2);
  });

  it('removes its file when aborted, and refuses writes after a failure', async () => {
    const dir = await freshDir();
    const writer = await TempWriter.create(dir);
    writer.write(randomBytes(100_000));
    await writer.abort();
    expect(await readdir(dir)).toEqual([]);
    expect(() => writer.write(Buffer.from('late'))).toThrow();
  });
});
