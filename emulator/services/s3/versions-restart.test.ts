import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { recordHeader } from '../../storage/log-format.ts';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { encodeRecord } from './model/object-records.ts';
import { INLINE_MAX } from './model/staging.ts';
import { uniqueBucket } from './s3-test-kit.ts';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3-versions-'));
  dirs.push(dir);
  return dir;
}
const bucketDir = (dir: string, bucket: string) => join(dir, 's3', 'objects', bucket);

async function restart(emulator: TestEmulator, s3: S3Client, dir: string) {
  s3.destroy();
  await emulator.stopKeepingData();
  const next = await startTestEmulator({ dataDir: dir });
  return { emulator: next, s3: s3Client(next.url) };
}

/** Every version and marker of the bucket, with each version's bytes (MD5) and tags. */
async function snapshot(s3: S3Client, Bucket: string) {
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
  const versions = [];
  for (const v of listed.Versions ?? []) {
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: v.Key, VersionId: v.VersionId }));
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: v.Key, VersionId: v.VersionId }));
    versions.push({
      key: v.Key,
      id: v.VersionId,
      latest: v.IsLatest,
      md5: md5(await got.Body!.transformToByteArray()),
      tags: tags.TagSet,
    });
  }
  const markers = (listed.DeleteMarkers ?? []).map((m) => ({
    key: m.Key,
    id: m.VersionId,
    latest: m.IsLatest,
  }));
  return { versions, markers };
}

describe('versions in the journal', () => {
  it('keeps versions, delete markers and tags across a compaction and a restart', async () => {
    const dir = await dataDir();
    let emulator = await startTestEmulator({ dataDir: dir });
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('vjournal');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const put = (Key: string, Body: Uint8Array | string, Tagging?: string) =>
      s3.send(new PutObjectCommand({ Bucket, Key, Body, ...(Tagging ? { Tagging } : {}) }));
    await put('from-before', 'unversioned');
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await put('doc', 'small first', 'n=1');
    // Large bodies have their own data file: a non-current one must survive too.
    await put('doc', randomBytes(INLINE_MAX + 1000), 'n=2');
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'doc' }));
    const gone = (await put('gone', 'removed for good')).VersionId!;
    await put('gone', 'stays');
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone', VersionId: gone }));
    const tagged = (await put('tagged', randomBytes(5000))).VersionId!;
    await put('tagged', 'newer');
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket,
        Key: 'tagged',
        VersionId: tagged,
        Tagging: { TagSet: [{ Key: 'later', Value: 'yes' }] },
      }),
    );
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket,
        Key: 'from-before',
        VersionId: 'null',
        Tagging: { TagSet: [{ Key: 'null', Value: 'tagged' }] },
      }),
    );
    const before = await snapshot(s3, Bucket);
    expect(before.versions).toHaveLength(6);
    expect(before.markers).toEqual([{ key: 'doc', id: expect.any(String), latest: true }]);

    // Suspended: 100 × 200 KiB over one key replace its null version each time — 20 MiB of dead
    // records, past the compaction threshold, while every other version stays live.
    await s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    for (let i = 0; i < 100; i++) await put('hot', randomBytes(200 * 1024));
    const files = async () => (await readdir(bucketDir(dir, Bucket))).sort();
    for (let i = 0; i < 200 && (await files()).includes('journal.1.log'); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await files()).filter((f) => f.startsWith('journal.'))).not.toContain('journal.1.log');
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'hot' }));

    const withoutHot = (s: Awaited<ReturnType<typeof snapshot>>) => ({
      versions: s.versions.filter((v) => v.key !== 'hot'),
      markers: s.markers.filter((m) => m.key !== 'hot'),
    });
    expect(withoutHot(await snapshot(s3, Bucket))).toEqual(before);
    ({ emulator, s3 } = await restart(emulator, s3, dir));
    const after = await snapshot(s3, Bucket);
    expect(withoutHot(after)).toEqual(before);
    expect(after.markers.filter((m) => m.key === 'hot')).toEqual([{ key: 'hot', id: 'null', latest: true }]);
    // Two data files: the non-current large version of doc, and nothing for the hot key's marker.
    expect((await files()).filter((f) => f.endsWith('.data'))).toHaveLength(1);
    s3.destroy();
    await emulator.stop();
  });

  it('never brings back a version whose tag update raced its deletion, across a restart', async () => {
    const dir = await dataDir();
    let emulator = await startTestEmulator({ dataDir: dir });
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('vrace');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    const ids = await Promise.all(
      keys.map(
        async (Key) => (await s3.send(new PutObjectCommand({ Bucket, Key, Body: `${Key} body` }))).VersionId!,
      ),
    );
    const outcomes = await Promise.all(
      keys.flatMap((Key, i) => [
        s3
          .send(
            new PutObjectTaggingCommand({
              Bucket,
              Key,
              VersionId: ids[i],
              Tagging: { TagSet: [{ Key: 'race', Value: String(i) }] },
            }),
          )
          .then(
            () => 'tagged',
            (err: Error) => err.name,
          ),
        s3.send(new DeleteObjectCommand({ Bucket, Key, VersionId: ids[i] })).then(() => 'deleted'),
      ]),
    );
    // Each tag update either landed before the delete or found no version (NoSuchVersion).
    expect(outcomes.filter((o) => o === 'deleted')).toHaveLength(keys.length);
    expect(outcomes.filter((o) => o !== 'deleted' && o !== 'tagged' && o !== 'NoSuchVersion')).toEqual([]);
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions).toBeUndefined();
    ({ emulator, s3 } = await restart(emulator, s3, dir));
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions).toBeUndefined();
    s3.destroy();
    await emulator.stop();
  });

  it('replays a journal of the first record format (no version ids) as null versions', async () => {
    const dir = await dataDir();
    let emulator = await startTestEmulator({ dataDir: dir });
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('oldjournal');
    await s3.send(new CreateBucketCommand({ Bucket }));
    s3.destroy();
    await emulator.stopKeepingData();
    const meta = {
      contentType: 'text/plain',
      metadata: {},
      headers: {},
      lastModified: new Date().toISOString(),
    };
    const old = (key: string, body: string) => ({
      record: { op: 'put' as const, key, size: body.length, etag: md5(Buffer.from(body)), ...meta },
      body: Buffer.from(body),
    });
    const records = [old('k1', 'first'), old('k1', 'second'), old('k2', 'dropped')].map((r) =>
      encodeRecord(r.record, r.body),
    );
    records.push(encodeRecord({ op: 'delete', key: 'k2' }));
    const framed = records.map((parts) => {
      const bytes = parts.reduce((n, p) => n + p.length, 0);
      return Buffer.concat([recordHeader(parts, bytes), ...parts]);
    });
    await writeFile(join(bucketDir(dir, Bucket), 'journal.1.log'), Buffer.concat(framed));

    emulator = await startTestEmulator({ dataDir: dir });
    s3 = s3Client(emulator.url);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([
      ['k1', 'null', true, 6],
    ]);
    await s3.send(enableVersioning(Bucket));
    const v = (await s3.send(new PutObjectCommand({ Bucket, Key: 'k1', Body: 'third' }))).VersionId!;
    ({ emulator, s3 } = await restart(emulator, s3, dir));
    const again = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(again.Versions?.map((x) => [x.VersionId, x.IsLatest])).toEqual([
      [v, true],
      ['null', false],
    ]);
    const first = await s3.send(new GetObjectCommand({ Bucket, Key: 'k1', VersionId: 'null' }));
    expect(await first.Body!.transformToString()).toBe('second');
    s3.destroy();
    await emulator.stop();
  });
});

function enableVersioning(Bucket: string) {
  return new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } });
}
