// The upload path the lesson argues against, for figure 4: the file travels in the HTTP API
// request, API Gateway hands it to this function inside the event (base64 for binary bodies),
// and the function writes it to S3. Bundled by esbuild like the lab's functions.
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

interface Event {
  body?: string;
  isBase64Encoded?: boolean;
}

const endpoint = process.env['AWS_ENDPOINT_URL_S3'] ?? process.env['AWS_ENDPOINT_URL'];
const s3 = new S3Client({
  region: process.env['AWS_REGION'] ?? 'us-east-1',
  ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
});

export const handler = async (event: Event) => {
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const key = `proxy/${randomUUID()}.bin`;
  await s3.send(new PutObjectCommand({ Bucket: process.env['UPLOAD_BUCKET'], Key: key, Body: body }));
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key, size: body.length }),
  };
};
