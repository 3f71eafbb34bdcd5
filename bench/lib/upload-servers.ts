import type { Agent } from 'node:http';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { startServer, type ChildServer } from './child.ts';
import { send } from './http-client.ts';
import { multipartBody } from './payload.ts';
import { REPO_ROOT } from './paths.ts';

export const UPLOAD_BUCKET = 'bench-uploads';
export const SERVER_KINDS = ['local AWS', 'sink', 's3rver'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** A server that receives S3 POST uploads, with a ticket (presigned POST) for it. */
export interface UploadServer {
  kind: ServerKind;
  child: ChildServer;
  url: string;
  fields: Record<string, string>;
  /** Where it keeps its data. */
  dirOf: string;
  stop(): Promise<void>;
}

const script = (name: string) => path.join(REPO_ROOT, 'bench', 'servers', name);

const s3For = (endpoint: string, secret = 'test') =>
  new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: secret, secretAccessKey: secret },
  });

/**
 * A presigned POST for `bench/<anything>` up to 2 GiB, signed for `endpoint`. The uploads
 * replace `key` with their own key under `bench/`, which the policy allows.
 */
async function ticket(endpoint: string, secret: string) {
  const s3 = s3For(endpoint, secret);
  try {
    return await createPresignedPost(s3, {
      Bucket: UPLOAD_BUCKET,
      Key: 'bench/${filename}',
      Conditions: [['content-length-range', 0, 2 * 1024 ** 3]],
      Expires: 3600,
    });
  } finally {
    s3.destroy();
  }
}

/**
 * Starts one server under test with its data in `dir`. For the local AWS, `seeded` means the
 * bucket already exists in `dir` (a restart on old state); otherwise it is created now.
 */
export async function startUploadServer(
  kind: ServerKind,
  dir: string,
  options: { seeded?: boolean } = {},
): Promise<UploadServer> {
  let child: ChildServer;
  let secret = 'test';
  if (kind === 'local AWS') {
    child = await startServer(script('emulator-server.ts'), [dir, ...(options.seeded ? ['--keep'] : [])]);
    if (!options.seeded) {
      const s3 = s3For(child.ready.url.replace('//localhost:', '//127.0.0.1:'));
      await s3.send(new CreateBucketCommand({ Bucket: UPLOAD_BUCKET })).finally(() => s3.destroy());
    }
  } else if (kind === 'sink') child = await startServer(script('sink.ts'), [dir]);
  else {
    child = await startServer(script('s3rver-server.ts'), [dir, UPLOAD_BUCKET]);
    secret = 'S3RVER';
  }
  // Every server under test is reached the same way: IPv4 loopback, no name lookup.
  const post = await ticket(child.ready.url.replace('//localhost:', '//127.0.0.1:'), secret);
  return { kind, child, url: post.url, fields: post.fields, dirOf: dir, stop: () => child.stop() };
}

/** Creates the bucket in `dir` with a short-lived local AWS, so a later start is a restart on state. */
export async function seedLocalAws(dir: string): Promise<void> {
  const server = await startUploadServer('local AWS', dir);
  await server.stop();
}

/** One POST upload of `size` seeded bytes under `key`; ok when S3's 204 (or 200/201) came back with the MD5 ETag. */
export async function uploadOnce(
  server: UploadServer,
  key: string,
  size: number,
  agent: Agent,
  md5?: string,
): Promise<{ ok: boolean; ms: number; why?: string }> {
  const answer = await send(server.url, { body: multipartBody({ ...server.fields, key }, size), agent });
  const stored = [200, 201, 204].includes(answer.status);
  const etag = String(answer.headers['etag'] ?? '').replaceAll('"', '');
  if (stored && (md5 === undefined || etag === md5)) return { ok: true, ms: answer.ms };
  const why = stored ? `ETag ${etag}, expected ${md5}` : `${answer.status} ${answer.text.slice(0, 300)}`;
  return { ok: false, ms: answer.ms, why };
}
