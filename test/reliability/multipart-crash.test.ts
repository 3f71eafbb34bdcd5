import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnEmulator, type CrashableEmulator } from './support/crash-emulator.ts';
import { printFigures, scaled } from './support/soak-figures.ts';
import { freePort, rootS3 } from './support/solution-stack.ts';

const MIB = 1024 * 1024;
const PARTS = 3;
const Bucket = 'multipart-crash';

/** Part `n` of upload `i`: 5 MiB (the last one a little more), a byte pattern of its own. */
const partBody = (i: number, n: number) =>
  Buffer.alloc(5 * MIB + (n === PARTS ? 1234 : 0), (i * 7 + n) % 251);
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const whole = (i: number) => Buffer.concat(Array.from({ length: PARTS }, (_, k) => partBody(i, k + 1)));

type Stage = 'created' | 'parts' | 'completed';
interface Flow {
  key: string;
  stage?: Stage;
  uploadId?: string;
  /** Parts acknowledged: number → ETag. */
  parts: Map<number, string>;
  /** CompleteMultipartUpload was sent (an upload cut off while completing may be gone). */
  completing?: boolean;
}

/**
 * Create, upload the parts, complete; records how far it got (acknowledged steps only). A flow
 * given `holdUntil` waits for it before completing and then stops: however fast the rest run,
 * at least one upload is still in progress at the kill.
 */
async function runFlow(s3: S3Client, i: number, flow: Flow, holdUntil?: Promise<unknown>): Promise<void> {
  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: flow.key }));
  flow.uploadId = created.UploadId!;
  flow.stage = 'created';
  await Promise.all(
    Array.from({ length: PARTS }, async (_, k) => {
      const out = await s3.send(
        new UploadPartCommand({
          Bucket,
          Key: flow.key,
          UploadId: flow.uploadId,
          PartNumber: k + 1,
          Body: partBody(i, k + 1),
        }),
      );
      flow.parts.set(k + 1, out.ETag!);
    }),
  );
  flow.stage = 'parts';
  if (holdUntil) {
    await holdUntil;
    return;
  }
  flow.completing = true;
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket,
      Key: flow.key,
      UploadId: flow.uploadId,
      MultipartUpload: {
        Parts: [...flow.parts]
          .sort((a, b) => a[0] - b[0])
          .map(([PartNumber, ETag]) => ({ PartNumber, ETag })),
      },
    }),
  );
  flow.stage = 'completed';
}

describe('SIGKILL with multipart uploads in flight, then a restart on the same data', () => {
  let dir: string;
  let dataDir: string;
  let port: number;
  let emulator: CrashableEmulator | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-mpu-crash-'));
    dataDir = join(dir, 'aws');
    port = await freePort();
    emulator = await spawnEmulator(dataDir, port);
    const s3 = rootS3(emulator.url);
    await s3.send(new CreateBucketCommand({ Bucket }));
    s3.destroy();
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every completed object whole, shows no torn object, keeps listed parts whole, leaves no orphans', async () => {
    const count = scaled(8);
    const s3 = rootS3(emulator!.url);
    const flows: Flow[] = Array.from({ length: count }, (_, i) => ({ key: `mpu/${i}`, parts: new Map() }));
    let completed = 0;
    let crashing: Promise<void> | undefined;
    let crashed!: () => void;
    const killed = new Promise<void>((resolve) => (crashed = resolve));
    const running = flows.map((flow, i) =>
      runFlow(s3, i, flow, i === count - 1 ? killed : undefined).then(
        () => {
          // Kill once a quarter of the uploads completed: the rest are at every stage.
          if (++completed >= Math.max(1, Math.floor(count / 4)))
            crashing ??= emulator!.crash().finally(crashed);
        },
        () => undefined,
      ),
    );
    // The held flow waits for the kill: the others settle first (and kill, if they did not).
    await Promise.all(running.slice(0, -1));
    await (crashing ??= emulator!.crash().finally(crashed));
    await running[count - 1];
    s3.destroy();
    emulator = await spawnEmulator(dataDir, port);
    const after = rootS3(emulator.url);

    const acknowledged = flows.filter((f) => f.stage === 'completed');
    expect(acknowledged.length, 'some uploads must complete before the kill').toBeGreaterThan(0);
    expect(acknowledged.length, 'some uploads must be cut off').toBeLessThan(count);
    const present = new Set<number>();
    const figures = {
      cases: count,
      faults: 1,
      acknowledged: acknowledged.length,
      torn: 0,
      lost: 0,
      absent: 0,
      uploadsLeft: 0,
    };
    for (const [i, flow] of flows.entries()) {
      const got = await after
        .send(new GetObjectCommand({ Bucket, Key: flow.key }))
        .then(async (r) => Buffer.from(await r.Body!.transformToByteArray()))
        .catch((err: Error) => (err.name === 'NoSuchKey' ? undefined : Promise.reject(err)));
      if (got === undefined) {
        if (flow.stage === 'completed') figures.lost++;
        else figures.absent++;
        continue;
      }
      present.add(i);
      if (md5(got) !== md5(whole(i))) figures.torn++;
    }
    expect(figures.lost, 'acknowledged objects lost').toBe(0);
    expect(figures.torn, 'torn or partial objects').toBe(0);

    const listed = (await after.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? [];
    figures.uploadsLeft = listed.length;
    // An acknowledged Create is durable: the upload is listed, or (its completion committed) its object is there.
    for (const [i, flow] of flows.entries()) {
      if (!flow.stage) continue;
      const isListed = listed.some((u) => u.UploadId === flow.uploadId);
      const state = `${flow.key} (${flow.stage}${flow.completing ? ', completing' : ''})`;
      expect(isListed, `${state}: listed ${isListed}, object ${present.has(i)}`).toBe(!present.has(i));
    }
    for (const upload of listed) {
      const flow = flows.find((f) => f.uploadId === upload.UploadId);
      expect(flow, `a listed upload was created by this test: ${upload.Key}`).toBeDefined();
      expect(flow!.stage, 'a completed upload is not listed').not.toBe('completed');
      const i = flows.indexOf(flow!);
      const parts =
        (await after.send(new ListPartsCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId })))
          .Parts ?? [];
      // Every acknowledged part survived; a listed part is whole (its ETag is the MD5 of all of it).
      for (const [n, etag] of flow!.parts) expect(parts.find((p) => p.PartNumber === n)?.ETag).toBe(etag);
      for (const p of parts) expect(p.ETag).toBe(`"${md5(partBody(i, p.PartNumber!))}"`);
      await after.send(
        new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }),
      );
    }
    after.destroy();
    await emulator.stop();
    emulator = undefined;

    expect(await readdir(join(dataDir, 's3', 'uploads', Bucket)), 'upload folders left').toEqual([]);
    const objectFiles = await readdir(join(dataDir, 's3', 'objects', Bucket));
    expect(
      objectFiles.filter((f) => f.startsWith('.tmp-')),
      'temp files left',
    ).toEqual([]);
    // One data file per object (each is past the inline limit); none left by a cut-off completion.
    expect(objectFiles.filter((f) => f.endsWith('.data'))).toHaveLength(present.size);
    printFigures('multipart-crash', figures);
  }, 240_000);
});
