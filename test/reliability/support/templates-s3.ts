import { createHash } from 'node:crypto';
import type { Template } from './wire-fuzz.ts';

const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

/** A multipart form as a browser builds it, fields then the file, for POST Object. */
export function multipartForm(fields: Array<[string, string]>, file: string, boundary: string): string {
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\n${file}\r\n--${boundary}--\r\n`,
  );
  return parts.join('');
}

/**
 * Every S3 operation the lab's code, checks and emulator tests use, on `bucket` (a scratch
 * bucket the fuzz may change at will), plus POST Object and the CORS preflight.
 */
export function s3Templates(bucket: string): Template[] {
  const xml: Template['expect'] = ['rest-xml'];
  const boundary = '----fuzzBoundary7MA4YWxkTrZu0gW';
  return [
    { op: 'ListBuckets', service: 's3', method: 'GET', path: '/', expect: xml },
    {
      op: 'CreateBucket',
      service: 's3',
      method: 'PUT',
      path: `/${bucket}-new`,
      body: { kind: 'xml', text: `<CreateBucketConfiguration ${XMLNS}></CreateBucketConfiguration>` },
      expect: xml,
    },
    { op: 'HeadBucket', service: 's3', method: 'HEAD', path: `/${bucket}`, expect: xml },
    {
      op: 'PutBucketCors',
      service: 's3',
      method: 'PUT',
      path: `/${bucket}`,
      query: 'cors',
      contentMd5: true,
      body: {
        kind: 'xml',
        text:
          `<CORSConfiguration ${XMLNS}><CORSRule><ID>r1</ID><AllowedHeader>*</AllowedHeader>` +
          `<AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod>` +
          `<AllowedOrigin>http://localhost:5173</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>` +
          `<MaxAgeSeconds>300</MaxAgeSeconds></CORSRule></CORSConfiguration>`,
      },
      expect: xml,
    },
    { op: 'GetBucketCors', service: 's3', method: 'GET', path: `/${bucket}`, query: 'cors', expect: xml },
    {
      op: 'PutPublicAccessBlock',
      service: 's3',
      method: 'PUT',
      path: `/${bucket}`,
      query: 'publicAccessBlock',
      contentMd5: true,
      body: {
        kind: 'xml',
        text:
          `<PublicAccessBlockConfiguration ${XMLNS}><BlockPublicAcls>true</BlockPublicAcls>` +
          `<IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy>` +
          `<RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
      },
      expect: xml,
    },
    {
      op: 'PutBucketTagging',
      service: 's3',
      method: 'PUT',
      path: `/${bucket}`,
      query: 'tagging',
      contentMd5: true,
      body: {
        kind: 'xml',
        text: `<Tagging ${XMLNS}><TagSet><Tag><Key>lab</Key><Value>presigned-upload-lab</Value></Tag></TagSet></Tagging>`,
      },
      expect: xml,
    },
    {
      op: 'PutBucketNotificationConfiguration',
      service: 's3',
      method: 'PUT',
      path: `/${bucket}`,
      query: 'notification',
      headers: [['x-amz-skip-destination-validation', 'true']],
      body: {
        kind: 'xml',
        text:
          `<NotificationConfiguration ${XMLNS}><CloudFunctionConfiguration><Id>n1</Id>` +
          `<CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:nope</CloudFunction>` +
          `<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name>` +
          `<Value>never/</Value></FilterRule></S3Key></Filter></CloudFunctionConfiguration>` +
          `</NotificationConfiguration>`,
      },
      expect: xml,
    },
    {
      op: 'ListObjectsV2',
      service: 's3',
      method: 'GET',
      path: `/${bucket}`,
      query: 'list-type=2&prefix=incoming%2F&max-keys=5',
      queryKeys: ['prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type'],
      expect: xml,
    },
    {
      op: 'ListObjects',
      service: 's3',
      method: 'GET',
      path: `/${bucket}`,
      queryKeys: ['marker', 'max-keys', 'prefix', 'delimiter', 'encoding-type'],
      expect: xml,
    },
    {
      op: 'PutObject',
      service: 's3',
      method: 'PUT',
      path: `/${bucket}/incoming/fuzz.txt`,
      headers: [
        ['Content-Type', 'text/plain'],
        ['x-amz-meta-original-name', 'fuzz%20file.txt'],
        ['Cache-Control', 'no-store'],
        ['Content-MD5', createHash('md5').update('hello from the fuzzer\n').digest('base64')],
        ['x-amz-storage-class', 'STANDARD'],
        ['x-amz-tagging', 'lab=fuzz'],
      ],
      body: { kind: 'bytes', text: 'hello from the fuzzer\n' },
      expect: xml,
    },
    {
      op: 'PutObject (aws-chunked, trailing checksum)',
      service: 's3',
      method: 'PUT',
      path: `/${bucket}/incoming/chunked.txt`,
      headers: [
        ['Content-Encoding', 'aws-chunked'],
        ['x-amz-content-sha256', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'],
        ['x-amz-decoded-content-length', '11'],
        ['x-amz-trailer', 'x-amz-checksum-crc32'],
      ],
      body: { kind: 'bytes', text: 'b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n' },
      expect: xml,
    },
    {
      op: 'GetObject',
      service: 's3',
      method: 'GET',
      path: `/${bucket}/incoming/fuzz.txt`,
      headers: [
        ['Range', 'bytes=0-4'],
        ['If-None-Match', '"0123456789abcdef0123456789abcdef"'],
        ['If-Modified-Since', 'Sat, 01 Jan 2000 00:00:00 GMT'],
        ['x-amz-checksum-mode', 'ENABLED'],
      ],
      queryKeys: ['response-content-type', 'response-content-disposition', 'response-expires', 'partNumber'],
      expect: xml,
    },
    { op: 'HeadObject', service: 's3', method: 'HEAD', path: `/${bucket}/incoming/fuzz.txt`, expect: xml },
    {
      op: 'CopyObject',
      service: 's3',
      method: 'PUT',
      path: `/${bucket}/incoming/copy.txt`,
      headers: [
        ['x-amz-copy-source', `/${bucket}/incoming/fuzz.txt`],
        ['x-amz-metadata-directive', 'COPY'],
      ],
      expect: xml,
    },
    {
      op: 'DeleteObjects',
      service: 's3',
      method: 'POST',
      path: `/${bucket}`,
      query: 'delete',
      contentMd5: true,
      body: {
        kind: 'xml',
        text: `<Delete ${XMLNS}><Object><Key>incoming/copy.txt</Key></Object><Quiet>true</Quiet></Delete>`,
      },
      expect: xml,
    },
    {
      op: 'PostObject',
      service: 'none',
      method: 'POST',
      path: `/${bucket}`,
      headers: [['Content-Type', `multipart/form-data; boundary=${boundary}`]],
      body: {
        kind: 'bytes',
        text: multipartForm(
          [
            ['key', 'incoming/${filename}'],
            ['Content-Type', 'text/plain'],
            ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
            ['X-Amz-Credential', 'test/20260101/us-east-1/s3/aws4_request'],
            ['X-Amz-Date', '20260101T000000Z'],
            [
              'Policy',
              Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":[]}').toString('base64'),
            ],
            ['X-Amz-Signature', '0'.repeat(64)],
          ],
          'file body',
          boundary,
        ),
      },
      expect: xml,
    },
    {
      op: 'PreflightRequest',
      service: 'none',
      method: 'OPTIONS',
      path: `/${bucket}/incoming/x.png`,
      headers: [
        ['Origin', 'http://localhost:5173'],
        ['Access-Control-Request-Method', 'POST'],
        ['Access-Control-Request-Headers', 'content-type, x-amz-date'],
      ],
      expect: xml,
    },
  ];
}
