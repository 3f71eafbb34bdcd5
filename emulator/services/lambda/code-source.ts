import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { RequestContext } from '../../core/context.ts';
import { lambdaErrors } from './errors.ts';

/** Where a deployment package comes from: `ZipFile` bytes (base64 in JSON) or an S3 object. */
export interface CodeInput {
  ZipFile?: unknown;
  S3Bucket?: unknown;
  S3Key?: unknown;
  S3ObjectVersion?: unknown;
  ImageUri?: unknown;
}

/**
 * Reads the zip a CreateFunction `Code` or UpdateFunctionCode request names. An S3 object is
 * fetched from this local AWS's own S3 with the caller's credentials, so the caller needs
 * `s3:GetObject` on it as on AWS.
 * https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html
 */
export async function readCode(ctx: RequestContext, input: CodeInput): Promise<Uint8Array> {
  if (input.ImageUri !== undefined)
    throw lambdaErrors.invalidParameter(
      'The local AWS runs Zip functions only; container images (ImageUri) are not emulated.',
    );
  if (typeof input.ZipFile === 'string') {
    const bytes = Buffer.from(input.ZipFile, 'base64');
    if (bytes.length === 0) throw lambdaErrors.invalidParameter('Please provide a source for function code.');
    return bytes;
  }
  if (typeof input.S3Bucket === 'string' && typeof input.S3Key === 'string')
    return fetchFromS3(ctx, input.S3Bucket, input.S3Key, stringOr(input.S3ObjectVersion));
  throw lambdaErrors.invalidParameter('Please provide a source for function code.');
}

const stringOr = (v: unknown) => (typeof v === 'string' ? v : undefined);

async function fetchFromS3(
  ctx: RequestContext,
  bucket: string,
  key: string,
  version: string | undefined,
): Promise<Uint8Array> {
  const principal = ctx.principal;
  if (principal.type === 'anonymous')
    throw lambdaErrors.invalidParameter('Please provide a source for function code.');
  const resolved = ctx.env.credentials.resolve(principal.accessKeyId, ctx.header('x-amz-security-token'));
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${ctx.env.port}`,
    region: ctx.region,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: {
      accessKeyId: principal.accessKeyId,
      secretAccessKey: resolved.secretAccessKey,
      ...(resolved.sessionToken ? { sessionToken: resolved.sessionToken } : {}),
    },
  });
  try {
    const out = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ...(version ? { VersionId: version } : {}) }),
    );
    if (!out.Body) throw new Error('empty body');
    return await out.Body.transformToByteArray();
  } catch (err) {
    if (err instanceof S3ServiceException)
      throw lambdaErrors.invalidParameter(
        `Error occurred while GetObject. S3 Error Code: ${err.name}. S3 Error Message: ${err.message}`,
      );
    throw err;
  } finally {
    client.destroy();
  }
}
