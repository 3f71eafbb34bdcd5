import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../../test-support/start-test-emulator.ts';
import { MIB, newBucket } from './multipart-test-kit.ts';

let dataDir: string;
let emulator: TestEmulator | undefined;
let s3: S3Client | undefined;

async function start(): Promise<S3Client> {
  emulator = await startTestEmulator({ dataDir });
  s3 = s3Client(emulator.url);
  return s3;
}
/** Closes the client's sockets first, so that the server going away resets none of them. */
async function stop(): Promise<void> {
  s3?.destroy();
  s3 = undefined;
  await emulator!.stopKeepingData();
}
afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});

const big = Buffer.alloc(5 * MIB + 7, 'b');

describe('multipart uploads across a restart', () => {
  it('keep uploads in progress with their parts, forget ended ones, and leave no files behind', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mpu-restart-'));
    let client = await start();
    const Bucket = await newBucket(client, 'mpu-restart');
    const create = async (Key: string) =>
      (await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'text/x-kept' })))
        .UploadId!;
    const part = async (Key: string, UploadId: string, PartNumber: number, Body: Buffer | string) =>
      (await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body }))).ETag!;

    const kept = await create('kept');
    const parts = [
      { PartNumber: 1, ETag: await part('kept', kept, 1, big) },
      { PartNumber: 2, ETag: await part('kept', kept, 2, 'small tail') },
    ];
    const aborted = await create('aborted');
    await part('aborted', aborted, 1, big);
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key: 'aborted', UploadId: aborted }));
    const completed = await create('completed');
    const etag = await part('completed', completed, 1, 'done');
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'completed',
        UploadId: completed,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etag }] },
      }),
    );
    await stop();

    const uploadsDir = join(dataDir, 's3', 'uploads', Bucket);
    expect(await readdir(uploadsDir)).toEqual([kept]);
    const keptDir = join(uploadsDir, kept);
    const files = (await readdir(keptDir)).sort();
    expect(files.filter((f) => f.endsWith('.part'))).toHaveLength(2);
    expect(files.filter((f) => !f.endsWith('.part'))).toEqual(['part.1.json', 'part.2.json', 'upload.json']);
    // What a crash can leave: a temp file, a part file no record names, a record whose file is
    // gone, an ended upload's folder, and a folder whose upload record was never written.
    await writeFile(join(keptDir, '.tmp-1-abc'), 'partial');
    await writeFile(join(keptDir, '3-0123456789ab.part'), 'orphan');
    await writeFile(
      join(keptDir, 'part.4.json'),
      JSON.stringify({ partNumber: 4, etag: 'x', size: 1, file: 'gone.part' }),
    );
    await mkdir(join(uploadsDir, '.done-old'));
    await writeFile(join(uploadsDir, '.done-old', '1-aa.part'), 'ended');
    await mkdir(join(uploadsDir, 'half-created'));
    // A crash after a completion's journal record, before its upload's folder was removed.
    await mkdir(join(uploadsDir, completed));
    await writeFile(
      join(uploadsDir, completed, 'upload.json'),
      JSON.stringify({
        uploadId: completed,
        bucket: Bucket,
        key: 'completed',
        initiated: new Date().toISOString(),
      }),
    );

    client = await start();
    const listed = await client.send(new ListMultipartUploadsCommand({ Bucket }));
    expect(listed.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['kept', kept]]);
    const listedParts = await client.send(new ListPartsCommand({ Bucket, Key: 'kept', UploadId: kept }));
    expect(listedParts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, parts[0]!.ETag, big.length],
      [2, parts[1]!.ETag, 10],
    ]);
    expect(await readdir(uploadsDir)).toEqual([kept]);
    expect((await readdir(keptDir)).sort()).toEqual(files);

    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'kept',
        UploadId: kept,
        MultipartUpload: { Parts: parts },
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket, Key: 'kept' }));
    expect(got.ContentType).toBe('text/x-kept');
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.equals(Buffer.concat([big, Buffer.from('small tail')]))).toBe(true);
    expect(
      await (await client.send(new GetObjectCommand({ Bucket, Key: 'completed' }))).Body!.transformToString(),
    ).toBe('done');
    await stop();
    expect(await readdir(uploadsDir)).toEqual([]);

    client = await start();
    expect((await client.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? []).toEqual([]);
    const again = await client.send(new GetObjectCommand({ Bucket, Key: 'kept' }));
    expect((await again.Body!.transformToByteArray()).length).toBe(big.length + 10);
  });
});
