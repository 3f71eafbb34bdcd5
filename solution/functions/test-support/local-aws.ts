import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { vi } from 'vitest';
// Tests only: the functions themselves reach the local AWS over the wire, like real AWS.
import { startEmulator } from '../../../emulator/server.ts';

export interface LocalAws {
  /** e.g. `http://localhost:40123` */
  url: string;
  /** A client for the test's own setup and assertions. */
  s3: S3Client;
  bucket: string;
  stop(): Promise<void>;
}

/**
 * Starts a private local AWS with one bucket, and points the SDK's default credential chain (the
 * one the functions use) at `test`/`test`.
 */
export async function startLocalAws(bucket: string): Promise<LocalAws> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lab-e2e-'));
  const emulator = await startEmulator({ port: 0, dataDir, quiet: true });
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: emulator.url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    url: emulator.url,
    s3,
    bucket,
    async stop() {
      s3.destroy();
      vi.unstubAllEnvs();
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Posts a browser-style upload form: every ticket field first, the file last. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
  file: Uint8Array,
  fileName = 'upload.bin',
): Promise<{ status: number; code: string | undefined; text: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file]), fileName);
  const response = await fetch(url, { method: 'POST', body: form });
  const text = await response.text();
  return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1], text };
}
