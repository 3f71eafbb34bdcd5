import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { uniqueBucket } from './s3-test-kit.ts';
import type * as NotifyKit from './notify-test-kit.ts';
import type * as LambdaKit from '../lambda/test-kit.ts';

// Long waits between attempts: the pending event must still be queued when the emulator stops.
process.env['S3_EVENT_RETRY_DELAYS_MS'] = '60000,60000';
const hasLambda = existsSync(new URL('../lambda/index.ts', import.meta.url));
const { recorderFor } = hasLambda ? await import('./notify-test-kit.ts') : ({} as typeof NotifyKit);
const { eventually } = hasLambda ? await import('../lambda/test-kit.ts') : ({} as typeof LambdaKit);

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe.skipIf(!hasLambda)('S3 event queue across restarts', () => {
  it('delivers after a restart an event that was not yet delivered, exactly once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3-restart-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    let emulator: TestEmulator = await startTestEmulator();
    cleanup.push(() => emulator.stop());
    let s3 = s3Client(emulator.url);
    const Bucket = uniqueBucket('restart');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const recorder = await recorderFor(emulator.url, s3, { bucket: Bucket, name: 'after-restart', dir });

    await writeFile(`${recorder.out}.fail`, 'fail until the restart');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'pending.txt', Body: 'x' }));
    await eventually(async () => ((await recorder.attempts()).length ? true : undefined));
    const queue = join(emulator.dataDir, 's3', 'events');
    expect(await readdir(queue)).toHaveLength(1);
    s3.destroy();
    await emulator.stopKeepingData();

    await rm(`${recorder.out}.fail`);
    emulator = await startTestEmulator({ dataDir: emulator.dataDir });
    s3 = s3Client(emulator.url);
    const events = await eventually(async () =>
      (await recorder.events()).length ? recorder.events() : undefined,
    );
    expect(events.map((e) => e.Records[0]!.s3.object.key)).toEqual(['pending.txt']);
    await eventually(async () => ((await readdir(queue)).length === 0 ? true : undefined));
    // A fresh upload after the restart is delivered once too; the old event is not repeated.
    await s3.send(new PutObjectCommand({ Bucket, Key: 'fresh.txt', Body: 'y' }));
    const all = await eventually(async () =>
      (await recorder.events()).length >= 2 ? recorder.events() : undefined,
    );
    expect(all.map((e) => e.Records[0]!.s3.object.key)).toEqual(['pending.txt', 'fresh.txt']);
    s3.destroy();
  });
});
