import { authorize } from '../../../auth/authorize.ts';
import { AwsError, commonErrors } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { postFormTags } from '../handlers/object-tags.ts';
import { objectSse } from '../encryption/sse.ts';
import {
  announcedBytes,
  checkKey,
  DEFAULT_CONTENT_TYPE,
  storageClassFrom,
} from '../handlers/object-handlers.ts';
import { checkHeaderValue, checkMetadataSize, STORED_HEADERS } from '../handlers/object-headers.ts';
import { s3Authorization } from '../access/bucket-access.ts';
import { aclForNewObject } from '../access/write-acl.ts';
import { checksumHeader, stageOptionsFor, storedChecksum, verifyDigests } from '../digests.ts';
import type { S3Model } from '../model/s3-model.ts';
import type { StagedFile } from '../model/staging.ts';
import { s3Errors } from '../s3-errors.ts';
import { drain, malformedPost, readPostForm, type PostForm } from './form-reader.ts';
import { checkConditions, checkExpiration, checkExtraFields, decodePolicy } from './post-policy.ts';
import { sendPostSuccess } from './post-responses.ts';
import { missingField, readPostSignature, verifyPostSignature } from './post-signature.ts';

/**
 * POST Object: a browser upload authenticated by its form [§2]. Checks run in S3's order —
 * key, signing fields, credentials and signature, policy expiry, conditions, extra fields —
 * then the signer is authorized for s3:PutObject at upload time, the file streams to disk
 * (cut off past the policy's size range) and the object appears atomically.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
 */
export async function postObject(ctx: RequestContext, s3: S3Model, bucket: string): Promise<void> {
  if (!/^multipart\/form-data\b/i.test(ctx.header('content-type') ?? ''))
    throw s3Errors.preconditionFailed('Bucket POST must be of the enclosure-type multipart/form-data');
  const form = await readPostForm(ctx);
  let staged: StagedFile | undefined;
  try {
    const fields = form.fields;
    const rawKey = fields.get('key');
    if (!rawKey) throw missingField('key');
    // [REC] a file part without a filename keeps `${filename}` literally.
    const key =
      form.file?.filename !== undefined ? rawKey.replaceAll('${filename}', form.file.filename) : rawKey;
    const { ranges, acl } = await authenticate(ctx, s3, form, bucket, key);
    if (!form.file)
      throw new AwsError('InvalidArgument', 'POST requires exactly one file upload per request.', {
        status: 400,
        fields: { ArgumentName: 'file', ArgumentValue: 0 },
      });
    checkKey(key);
    // Fields that come back as response headers must fit in one, or every later GET would fail.
    for (const name of ['content-type', ...STORED_HEADERS])
      if (fields.has(name)) checkHeaderValue(name, fields.get(name)!);
    const metadata = formMetadata(fields);
    const storageClass = storageClassFrom(fields.get('x-amz-storage-class'));
    const tags = fields.has('tagging') ? postFormTags(fields.get('tagging')!) : undefined;
    // UNVERIFIED for POST: tags on upload need s3:PutObjectTagging, as with PutObject.
    if (tags?.length) authorize(ctx, s3Authorization(s3, bucket, key, 's3:PutObjectTagging'));
    const sse = objectSse(s3.buckets.get(bucket), (name) => fields.get(name));
    const checksum = checksumHeader(Object.fromEntries(fields));
    const declared = checksum ? { checksum } : {};

    const max = Math.min(...ranges.map((r) => r.max));
    staged = await s3.objects
      .stage(bucket, form.file.stream, {
        ...stageOptionsFor(declared),
        ...(ranges.length ? { maxBytes: max } : {}),
        ...announcedBytes(ctx),
      })
      .catch((err: unknown) => {
        throw err instanceof AwsError ? err : malformedPost();
      });
    for (const range of ranges) {
      if (staged.size > range.max)
        throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
          status: 400,
          fields: { ProposedSize: staged.size, MaxSizeAllowed: range.max },
        });
      if (staged.size < range.min)
        throw new AwsError(
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed size',
          {
            status: 400,
            fields: { ProposedSize: staged.size, MinSizeAllowed: range.min },
          },
        );
    }
    verifyDigests(declared, staged);
    if (!(await form.finished)) throw malformedPost();
    const file = staged;
    const meta = await s3.notifications.objectCreated(ctx, bucket, key, file, 'ObjectCreated:Post', (id) =>
      s3.objects.commit(
        bucket,
        key,
        file,
        {
          contentType: fields.get('content-type') || DEFAULT_CONTENT_TYPE,
          metadata,
          headers: Object.fromEntries(
            STORED_HEADERS.filter((h) => fields.get(h)).map((h) => [h, fields.get(h)!]),
          ),
          ...storedChecksum(declared, file),
          ...(storageClass ? { storageClass } : {}),
          ...(tags?.length ? { tags } : {}),
          ...(acl ? { acl } : {}),
          ...sse,
        },
        id,
      ),
    );
    staged = undefined;
    sendPostSuccess(ctx, bucket, meta, fields);
  } catch (err) {
    if (staged && !staged.overflow) await s3.objects.discard(staged);
    form.file?.stream.resume();
    await form.finished;
    await drain(ctx);
    throw err;
  }
}

/**
 * Authenticates the form and authorizes its signer; returns the policy's size ranges.
 * No signing fields at all: anonymous (allowed only by the bucket policy or a public ACL), or
 * AccessDenied outright when a policy came without them [REC exception-no-sig-related-fields].
 */
async function authenticate(ctx: RequestContext, s3: S3Model, form: PostForm, bucket: string, key: string) {
  const fields = form.fields;
  const signature = readPostSignature(fields);
  const policyB64 = fields.get('policy');
  let ranges: Array<{ min: number; max: number }> = [];
  if (signature.version === 'none') {
    if (policyB64 !== undefined) throw commonErrors.accessDenied();
  } else {
    // The error for signing fields without a policy is UNVERIFIED.
    if (!policyB64) throw missingField('Policy');
    const resolved = await verifyPostSignature(
      signature,
      policyB64,
      fields.get('x-amz-security-token'),
      ctx.env.credentials,
    );
    const policy = decodePolicy(policyB64);
    checkExpiration(policy);
    ranges = checkConditions(policy, { fields, bucket, key });
    checkExtraFields(policy, fields);
    ctx.principal = resolved.principal;
  }
  authorize(ctx, s3Authorization(s3, bucket, key, 's3:PutObject'));
  // [COMMUNITY aws/aws-cli#813] an acl field also needs s3:PutObjectAcl.
  if (fields.has('acl')) authorize(ctx, s3Authorization(s3, bucket, key, 's3:PutObjectAcl'));
  // The `acl` field is x-amz-acl's form twin [§8.3, INFERRED]: ownership first, then BlockPublicAcls.
  const acl = aclForNewObject(s3.buckets.get(bucket)!, { 'x-amz-acl': fields.get('acl') });
  return { ranges, acl };
}

/** `x-amz-meta-*` fields, names lower-cased [REC test_post_object_with_metadata]. */
function formMetadata(fields: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of fields)
    if (name.startsWith('x-amz-meta-')) out[name.slice('x-amz-meta-'.length)] = value;
  checkMetadataSize(out);
  return out;
}
