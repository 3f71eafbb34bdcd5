import { createHmac } from 'node:crypto';
import { request } from 'node:http';

export interface Signer {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ROOT: Signer = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A policy document expiring `seconds` from now (negative: already expired), base64. */
export function encodePolicy(conditions: unknown[], seconds = 600, expiration?: string): string {
  const doc = { expiration: expiration ?? new Date(Date.now() + seconds * 1000).toISOString(), conditions };
  return Buffer.from(JSON.stringify(doc)).toString('base64');
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * SigV4 POST fields for a policy, computed here independently of the emulator: the given
 * conditions plus one for each signing field (as SDKs add them), in boto3's lower-case names.
 */
export function sigV4Fields(
  conditions: unknown[],
  signer: Signer = ROOT,
  options: { seconds?: number; region?: string } = {},
): Record<string, string> {
  const now = new Date();
  const amzDate = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const region = options.region ?? 'us-east-1';
  const credential = `${signer.accessKeyId}/${day}/${region}/s3/aws4_request`;
  const signing: Record<string, string> = {
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': credential,
    'x-amz-date': amzDate,
    ...(signer.sessionToken ? { 'x-amz-security-token': signer.sessionToken } : {}),
  };
  const policy = encodePolicy(
    [...conditions, ...Object.entries(signing).map(([k, v]) => ({ [k]: v }))],
    options.seconds,
  );
  return { ...signing, policy, 'x-amz-signature': signV4(policy, signer.secretAccessKey, day, region) };
}

export function signV4(policy: string, secret: string, day: string, region: string): string {
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(policy).digest('hex');
}

/** SigV2 POST fields: base64 HMAC-SHA1 of the policy. */
export function sigV2Fields(
  conditions: unknown[],
  signer: Signer = ROOT,
  seconds = 600,
): Record<string, string> {
  const policy = encodePolicy(conditions, seconds);
  return {
    AWSAccessKeyId: signer.accessKeyId,
    ...(signer.sessionToken ? { 'x-amz-security-token': signer.sessionToken } : {}),
    policy,
    signature: createHmac('sha1', signer.secretAccessKey).update(policy).digest('base64'),
  };
}

/**
 * Posts a form to 127.0.0.1 with another Host header (virtual-host addressing), since fetch
 * cannot set Host and Node cannot resolve `<bucket>.localhost`.
 */
export async function postWithHost(
  port: number,
  host: string,
  form: FormData,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const encoded = new Request('http://placeholder/', { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: {
          Host: host,
          'Content-Type': encoded.headers.get('content-type')!,
          'Content-Length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
