import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import type * as LambdaKit from '../lambda/test-kit.ts';
import type * as NotifyKit from './notify-test-kit.ts';
import { uniqueBucket } from './s3-test-kit.ts';

const hasLambda = existsSync(new URL('../lambda/index.ts', import.meta.url));
const { recorderFor } = hasLambda ? await import('./notify-test-kit.ts') : ({} as typeof NotifyKit);
const { eventually } = hasLambda ? await import('../lambda/test-kit.ts') : ({} as typeof LambdaKit);

let emulator: TestEmulator;
let s3: S3Client;
let dir: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  dir = await mkdtemp(join(tmpdir(), 's3-version-events-'));
});
afterAll(async () => {
  s3.destroy();
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

type Obj = { key: string; versionId?: string };
const objectsOf = (events: Array<{ Records: Array<{ s3: { object: unknown } }> }>) =>
  events.map((e) => e.Records[0]!.s3.object as Obj);

describe.skipIf(!hasLambda)('S3 events of a versioned bucket', () => {
  it('name the version each write created (none before versioning, null while suspended)', async () => {
    const Bucket = uniqueBucket('vevents');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const recorder = await recorderFor(emulator.url, s3, { bucket: Bucket, name: 'versions', dir });
    await s3.send(new PutObjectCommand({ Bucket, Key: 'before', Body: 'x' }));
    await eventually(async () => ((await recorder.events()).length === 1 ? true : undefined));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'one' }));
    await eventually(async () => ((await recorder.events()).length === 2 ? true : undefined));
    const copy = await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/doc` }));
    await eventually(async () => ((await recorder.events()).length === 3 ? true : undefined));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'two' }));
    const events = await eventually(async () => {
      const all = await recorder.events();
      return all.length === 4 ? all : undefined;
    });
    const objects = objectsOf(events);
    expect(objects[0]!.versionId).toBeUndefined();
    expect(objects[1]!.versionId).toBe(put.VersionId);
    expect(objects[2]!.versionId).toBe(copy.VersionId);
    expect(objects[3]!.versionId).toBe('null');
    expect(Object.keys(objects[1]!)).toEqual(['key', 'size', 'eTag', 'versionId', 'sequencer']);
  });
});
