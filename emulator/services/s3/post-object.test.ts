import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, s3Client } from '../../test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../test-support/start-test-emulator.ts';
import { postWithHost, sigV2Fields, sigV4Fields } from './post-test-kit.ts';
import { postForm, signedFetch, uniqueBucket } from './s3-test-kit.ts';

let emulator: TestEmulator;
let s3: S3Client;
const Bucket = uniqueBucket('post');
const url = () => `${emulator.url}/${Bucket}`;
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const read = async (Key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  s3.destroy();
  await emulator.stop();
});

describe('POST Object with SDK-generated forms', () => {
  it('uploads with @aws-sdk/s3-presigned-post (path style): 204, ETag, Location, no Content-Type', async () => {
    const { url: action, fields } = await createPresignedPost(s3, {
      Bucket,
      Key: 'incoming/photo.png',
      Conditions: [['content-length-range', 1, 1000]],
      Fields: { 'Content-Type': 'image/png', 'x-amz-meta-original-name': 'my%20photo.png' },
      Expires: 300,
    });
    expect(action).toBe(url());
    const response = await postForm(action, fields, 'not really a png');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-type')).toBeNull();
    expect(response.headers.get('etag')).toBe(`"${md5('not really a png')}"`);
    expect(response.headers.get('location')).toBe(`${url()}/incoming/photo.png`);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'incoming/photo.png' }));
    expect(head.ContentType).toBe('image/png');
    expect(head.Metadata).toEqual({ 'original-name': 'my%20photo.png' });
  });

  it('uploads to the virtual-host URL the SDK builds without forcePathStyle', async () => {
    const vhost = new S3Client(clientConfig(emulator.url));
    const { url: action, fields } = await createPresignedPost(vhost, { Bucket, Key: 'vhost.txt' });
    expect(action).toBe(`http://${Bucket}.localhost:${emulator.port}/`);
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob(['via virtual host']), 'v.txt');
    const response = await postWithHost(emulator.port, new URL(action).host, form);
    expect(response.status).toBe(204);
    expect(response.headers['location']).toBe(`${action}vhost.txt`);
    expect(await read('vhost.txt')).toBe('via virtual host');
    vhost.destroy();
  });

  it('replaces ${filename} with the client file name (after the last / or \\)', async () => {
    const { url: action, fields } = await createPresignedPost(s3, { Bucket, Key: 'uploads/${filename}' });
    expect((await postForm(action, fields, 'one', 'report.pdf')).status).toBe(204);
    expect(await read('uploads/report.pdf')).toBe('one');
    expect((await postForm(action, fields, 'two', 'C:\\docs\\win.txt')).status).toBe(204);
    expect(await read('uploads/win.txt')).toBe('two');
  });
});

describe('POST Object success responses', () => {
  const status = (extra: Record<string, string>) =>
    sigV4Fields([
      { bucket: Bucket },
      ['starts-with', '$key', 's/'],
      ...Object.entries(extra).map(([k, v]) => ({ [k]: v })),
    ]);

  it('answers 200 with an empty body for success_action_status=200', async () => {
    const response = await postForm(
      url(),
      { key: 's/200', success_action_status: '200', ...status({ success_action_status: '200' }) },
      'x',
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers 201 with a PostResponse document for success_action_status=201', async () => {
    const key = 's/dir/a b—c.txt';
    const response = await postForm(
      url(),
      { key, success_action_status: '201', ...status({ success_action_status: '201' }) },
      'abc',
    );
    expect(response.status).toBe(201);
    const body = await response.text();
    const location = `${url()}/s/dir/a%20b%E2%80%94c.txt`;
    expect(body).toContain(`<Location>${location}</Location>`);
    expect(body).toContain(`<Bucket>${Bucket}</Bucket>`);
    expect(body).toContain(`<Key>${key}</Key>`);
    expect(body).toMatch(new RegExp(`<ETag>(&quot;|")${md5('abc')}(&quot;|")</ETag>`));
    expect(response.headers.get('location')).toBe(location);
  });

  it('answers 204 for an invalid success_action_status', async () => {
    const response = await postForm(
      url(),
      { key: 's/x', success_action_status: '418', ...status({ success_action_status: '418' }) },
      'x',
    );
    expect(response.status).toBe(204);
  });

  it('redirects with 303 to success_action_redirect with bucket, key and etag appended', async () => {
    const redirect = 'http://localhost:5173/done?from=lab';
    const response = await postForm(
      url(),
      { key: 's/r.txt', success_action_redirect: redirect, ...status({ success_action_redirect: redirect }) },
      'r',
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('http://localhost:5173/done');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      from: 'lab',
      bucket: Bucket,
      key: 's/r.txt',
      etag: `"${md5('r')}"`,
    });
  });

  it('ignores a relative redirect it cannot interpret (204)', async () => {
    const response = await postForm(
      url(),
      {
        key: 's/rel',
        success_action_redirect: '/wrong/redirect',
        ...status({ success_action_redirect: '/wrong/redirect' }),
      },
      'x',
    );
    expect(response.status).toBe(204);
  });
});

describe('POST Object form handling', () => {
  it('accepts field names in any case', async () => {
    const signed = sigV4Fields([{ bucket: Bucket }, { key: 'case.txt' }, { 'Content-Type': 'text/plain' }]);
    const fields: Array<[string, string]> = [
      ['KEY', 'case.txt'],
      ['content-TYPE', 'text/plain'],
      ...Object.entries(signed).map(([k, v]): [string, string] => [
        k === 'policy' ? 'Policy' : k.toUpperCase(),
        v,
      ]),
    ];
    expect((await postForm(url(), fields, 'cased')).status).toBe(204);
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'case.txt' }))).ContentType).toBe(
      'text/plain',
    );
  });

  it('takes a text part named file as the content, keeping ${filename} literally', async () => {
    const fields = {
      key: 'text-${filename}',
      ...sigV4Fields([{ bucket: Bucket }, ['starts-with', '$key', 'text-']]),
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', 'file content as a string');
    expect((await fetch(url(), { method: 'POST', body: form })).status).toBe(204);
    expect(await read('text-${filename}')).toBe('file content as a string');
  });

  it('treats parts with a filename as fields unless they are named file, and ignores parts after the file', async () => {
    const fields = {
      key: 'parts.txt',
      'x-amz-meta-note': 'sent as a file part',
      ...sigV4Fields([
        { bucket: Bucket },
        { key: 'parts.txt' },
        { 'x-amz-meta-note': 'sent as a file part' },
      ]),
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, new Blob([v]), 'field.txt');
    form.append('file', new Blob(['the file']), 'real.txt');
    form.append('key', 'ignored-after-file');
    form.append('unexpected', 'ignored too');
    expect((await fetch(url(), { method: 'POST', body: form })).status).toBe(204);
    expect(await read('parts.txt')).toBe('the file');
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'parts.txt' }))).Metadata).toEqual({
      note: 'sent as a file part',
    });
    expect((await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'ignored' }))).KeyCount).toBe(0);
  });

  it('stores x-amz-meta-* lower-cased and returns non-ASCII values RFC 2047-encoded', async () => {
    const meta = { 'x-amz-meta-TEST-2': 'plain', 'x-amz-meta-name': 'résumé—2024.pdf' };
    const fields = {
      key: 'meta.pdf',
      ...meta,
      ...sigV4Fields([
        { bucket: Bucket },
        { key: 'meta.pdf' },
        ...Object.entries(meta).map(([k, v]) => ({ [k]: v })),
      ]),
    };
    expect((await postForm(url(), fields, 'pdf')).status).toBe(204);
    const got = await signedFetch(`${url()}/meta.pdf`);
    expect(got.headers.get('x-amz-meta-test-2')).toBe('plain');
    expect(got.headers.get('x-amz-meta-name')).toBe(
      `=?UTF-8?B?${Buffer.from('résumé—2024.pdf').toString('base64')}?=`,
    );
    expect(got.headers.get('content-type')).toBe('binary/octet-stream');
  });

  it('accepts content-length-range bounds inclusively, as numbers or numeric strings', async () => {
    const fields = (key: string) => ({
      key,
      ...sigV4Fields([{ bucket: Bucket }, { key }, ['content-length-range', '3', 5]]),
    });
    expect((await postForm(url(), fields('min'), 'abc')).status).toBe(204);
    expect((await postForm(url(), fields('max'), 'abcde')).status).toBe(204);
  });

  it('verifies SigV2 (HMAC-SHA1) forms', async () => {
    const fields = { key: 'v2.txt', ...sigV2Fields([{ bucket: Bucket }, { key: 'v2.txt' }]) };
    expect((await postForm(url(), fields, 'signed v2')).status).toBe(204);
    expect(await read('v2.txt')).toBe('signed v2');
  });
});
