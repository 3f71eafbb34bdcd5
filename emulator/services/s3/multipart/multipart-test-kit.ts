import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { signRequest } from '../../../test-support/sign.ts';
import { type TestCredentials } from '../../../test-support/clients.ts';
import { uniqueBucket } from '../s3-test-kit.ts';

/** A signed request to the emulator at `url` (path-style), answered as a fetch Response. */
export async function s3Fetch(
  url: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; credentials?: TestCredentials } = {},
): Promise<Response> {
  const signed = await signRequest({
    url: `${url}${path}`,
    service: 's3',
    method,
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return fetch(signed.url, signed.init);
}

/** The text of the first `<name>` element of an XML document. */
export const xmlField = (text: string, name: string): string | undefined =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];

/** Starts an upload by hand; resolves with its id. */
export async function startUpload(
  url: string,
  bucket: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await s3Fetch(url, 'POST', `/${bucket}/${key}?uploads`, { headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`CreateMultipartUpload: ${res.status} ${text}`);
  return xmlField(text, 'UploadId')!;
}

/** Uploads one part by hand; resolves with its quoted ETag. */
export async function putPart(
  url: string,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  body: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await s3Fetch(url, 'PUT', `/${bucket}/${key}?partNumber=${partNumber}&uploadId=${uploadId}`, {
    body,
    headers,
  });
  if (res.status !== 200) throw new Error(`UploadPart: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return res.headers.get('etag')!;
}

/** A CompleteMultipartUpload body listing these parts (with any extra elements per part). */
export function completeBody(
  parts: Array<{ n: number; etag: string; extra?: Record<string, string> }>,
): string {
  const items = parts.map(
    (p) =>
      `<Part><PartNumber>${p.n}</PartNumber><ETag>${p.etag}</ETag>${Object.entries(p.extra ?? {})
        .map(([k, v]) => `<${k}>${v}</${k}>`)
        .join('')}</Part>`,
  );
  return `<CompleteMultipartUpload>${items.join('')}</CompleteMultipartUpload>`;
}

export async function newBucket(s3: S3Client, prefix = 'mpu'): Promise<string> {
  const bucket = uniqueBucket(prefix);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export const MIB = 1024 * 1024;
