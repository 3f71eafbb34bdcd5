import type { RequestContext } from '../../core/context.ts';
import type { Operation } from '../../core/env.ts';
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './access/acl-handlers.ts';
import { s3Authorization, s3ConditionKeys } from './access/bucket-access.ts';
import {
  deleteBucketOwnershipControls,
  getBucketOwnershipControls,
  putBucketOwnershipControls,
} from './access/ownership-handlers.ts';
import {
  deleteBucketPolicy,
  getBucketPolicy,
  getBucketPolicyStatus,
  putBucketPolicy,
} from './access/policy-handlers.ts';
import { applyCors } from './cors/preflight.ts';
import { deleteBucketCors, getBucketCors, putBucketCors } from './cors/cors-handlers.ts';
import {
  deleteBucketTagging,
  deletePublicAccessBlock,
  getBucketTagging,
  getPublicAccessBlock,
  putBucketTagging,
  putPublicAccessBlock,
} from './handlers/bucket-config-handlers.ts';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  headBucket,
  listBuckets,
} from './handlers/bucket-handlers.ts';
import {
  deleteBucketEncryption,
  getBucketEncryption,
  putBucketEncryption,
} from './encryption/encryption-handlers.ts';
import { copyObject } from './handlers/copy-object.ts';
import { deleteObjects } from './handlers/delete-objects.ts';
import { getObjectAttributes } from './handlers/get-object-attributes.ts';
import { listObjects, listObjectsV2 } from './handlers/list-objects.ts';
import { deleteObject, getObject, putObject } from './handlers/object-handlers.ts';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './handlers/object-tagging.ts';
import { getBucketVersioning, putBucketVersioning } from './versioning/bucket-versioning.ts';
import { listObjectVersions } from './versioning/list-object-versions.ts';
import { versionedAction } from './versioning/version-actions.ts';
import type { S3Model } from './model/s3-model.ts';
import { resolveMultipart } from './multipart/multipart-routes.ts';
import {
  getBucketNotificationConfiguration,
  putBucketNotificationConfiguration,
} from './notifications/notification-handlers.ts';
import { postObject } from './post-object/post-object.ts';
import { s3Errors } from './s3-errors.ts';
import { parseTarget } from './target.ts';

type BucketHandler = (ctx: RequestContext, s3: S3Model, bucket: string) => Promise<void>;
type ObjectHandler = (ctx: RequestContext, s3: S3Model, bucket: string, key: string) => Promise<void>;

/** Bucket operations by `METHOD subresource` (`-` = none): AWS name, IAM action, handler. */
const BUCKET_OPS: Record<string, [string, string, BucketHandler]> = {
  'PUT -': ['CreateBucket', 's3:CreateBucket', createBucket],
  'HEAD -': ['HeadBucket', 's3:ListBucket', headBucket],
  'DELETE -': ['DeleteBucket', 's3:DeleteBucket', deleteBucket],
  'GET -': ['ListObjects', 's3:ListBucket', listObjects],
  'GET list-type': ['ListObjectsV2', 's3:ListBucket', listObjectsV2],
  'GET location': ['GetBucketLocation', 's3:GetBucketLocation', getBucketLocation],
  'PUT cors': ['PutBucketCors', 's3:PutBucketCORS', putBucketCors],
  'GET cors': ['GetBucketCors', 's3:GetBucketCORS', getBucketCors],
  'DELETE cors': ['DeleteBucketCors', 's3:PutBucketCORS', deleteBucketCors],
  'PUT publicAccessBlock': ['PutPublicAccessBlock', 's3:PutBucketPublicAccessBlock', putPublicAccessBlock],
  'GET publicAccessBlock': ['GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock', getPublicAccessBlock],
  'DELETE publicAccessBlock': [
    'DeletePublicAccessBlock',
    's3:PutBucketPublicAccessBlock',
    deletePublicAccessBlock,
  ],
  'PUT tagging': ['PutBucketTagging', 's3:PutBucketTagging', putBucketTagging],
  'GET tagging': ['GetBucketTagging', 's3:GetBucketTagging', getBucketTagging],
  'DELETE tagging': ['DeleteBucketTagging', 's3:PutBucketTagging', deleteBucketTagging],
  'PUT notification': [
    'PutBucketNotificationConfiguration',
    's3:PutBucketNotification',
    putBucketNotificationConfiguration,
  ],
  'GET notification': [
    'GetBucketNotificationConfiguration',
    's3:GetBucketNotification',
    getBucketNotificationConfiguration,
  ],
  'POST delete': ['DeleteObjects', '', deleteObjects],
  'PUT policy': ['PutBucketPolicy', 's3:PutBucketPolicy', putBucketPolicy],
  'GET policy': ['GetBucketPolicy', 's3:GetBucketPolicy', getBucketPolicy],
  'DELETE policy': ['DeleteBucketPolicy', 's3:DeleteBucketPolicy', deleteBucketPolicy],
  'GET policyStatus': ['GetBucketPolicyStatus', 's3:GetBucketPolicyStatus', getBucketPolicyStatus],
  'PUT ownershipControls': [
    'PutBucketOwnershipControls',
    's3:PutBucketOwnershipControls',
    putBucketOwnershipControls,
  ],
  'GET ownershipControls': [
    'GetBucketOwnershipControls',
    's3:GetBucketOwnershipControls',
    getBucketOwnershipControls,
  ],
  'DELETE ownershipControls': [
    'DeleteBucketOwnershipControls',
    's3:PutBucketOwnershipControls',
    deleteBucketOwnershipControls,
  ],
  'PUT acl': ['PutBucketAcl', 's3:PutBucketAcl', putBucketAcl],
  'GET acl': ['GetBucketAcl', 's3:GetBucketAcl', getBucketAcl],
  'GET versions': ['ListObjectVersions', 's3:ListBucketVersions', listObjectVersions],
  'PUT versioning': ['PutBucketVersioning', 's3:PutBucketVersioning', putBucketVersioning],
  'GET versioning': ['GetBucketVersioning', 's3:GetBucketVersioning', getBucketVersioning],
  'PUT encryption': ['PutBucketEncryption', 's3:PutEncryptionConfiguration', putBucketEncryption],
  'GET encryption': ['GetBucketEncryption', 's3:GetEncryptionConfiguration', getBucketEncryption],
  'DELETE encryption': ['DeleteBucketEncryption', 's3:PutEncryptionConfiguration', deleteBucketEncryption],
};

const OBJECT_OPS: Record<string, [string, string, ObjectHandler]> = {
  'PUT -': ['PutObject', 's3:PutObject', putObject],
  'GET -': ['GetObject', 's3:GetObject', getObject],
  'HEAD -': ['HeadObject', 's3:GetObject', getObject],
  'DELETE -': ['DeleteObject', 's3:DeleteObject', deleteObject],
  'PUT acl': ['PutObjectAcl', 's3:PutObjectAcl', putObjectAcl],
  'GET acl': ['GetObjectAcl', 's3:GetObjectAcl', getObjectAcl],
  'PUT tagging': ['PutObjectTagging', 's3:PutObjectTagging', putObjectTagging],
  'GET tagging': ['GetObjectTagging', 's3:GetObjectTagging', getObjectTagging],
  'DELETE tagging': ['DeleteObjectTagging', 's3:DeleteObjectTagging', deleteObjectTagging],
  'GET attributes': ['GetObjectAttributes', 's3:GetObjectAttributes', getObjectAttributes],
};

/** Query parameters that name an S3 subresource; any we do not serve is NotImplemented (501). */
const SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'list-type',
  'location',
  'logging',
  'metadataTable',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versioning',
  'versions',
  'website',
];

/**
 * Resolves an S3 request to its operation by method, path (bucket / key) and subresource.
 * The bucket must exist (NoSuchBucket otherwise) except to create it; CORS headers for an
 * actual request are decided here, before the operation runs.
 */
export async function resolveS3(ctx: RequestContext, s3: S3Model): Promise<Operation> {
  const { bucket, key } = parseTarget(ctx);
  if (bucket === undefined) {
    if (ctx.method !== 'GET') throw s3Errors.methodNotAllowed(ctx.method, 'SERVICE');
    return {
      name: 'ListBuckets',
      authorization: { action: 's3:ListAllMyBuckets', resource: '*' },
      run: () => listBuckets(ctx, s3),
    };
  }
  const present = SUBRESOURCES.filter((s) => ctx.query.has(s));
  const sub = present[0] ?? '-';
  const table = key === undefined ? BUCKET_OPS : OBJECT_OPS;
  const entry = present.length <= 1 ? table[`${ctx.method} ${sub}`] : undefined;
  const isPostObject = key === undefined && ctx.method === 'POST' && sub === '-';

  if (!(key === undefined && ctx.method === 'PUT' && sub === '-')) {
    if (!s3.buckets.get(bucket)) throw s3Errors.noSuchBucket(bucket);
    applyCors(ctx, s3.buckets, bucket);
  }
  if (isPostObject)
    return { name: 'PostObject', authentication: 'self', run: () => postObject(ctx, s3, bucket) };
  const multipart = resolveMultipart(ctx, s3, bucket, key, present);
  if (multipart) return multipart;
  if (!entry) {
    if (sub !== '-' || present.length > 1) throw s3Errors.notImplemented();
    throw s3Errors.methodNotAllowed(ctx.method, key === undefined ? 'BUCKET' : 'OBJECT');
  }
  const copy = key !== undefined && entry[0] === 'PutObject' && ctx.header('x-amz-copy-source') !== undefined;
  const [name, action, handler] = copy ? (['CopyObject', entry[1], copyObject] as const) : entry;
  return {
    name,
    // DeleteObjects authorizes each key itself.
    ...(action
      ? {
          authorization: s3Authorization(
            s3,
            bucket,
            key,
            key === undefined ? action : versionedAction(action, ctx.query),
            s3ConditionKeys(ctx.query, (h) => ctx.header(h)),
          ),
        }
      : {}),
    run: () => (handler as ObjectHandler)(ctx, s3, bucket, key ?? ''),
  };
}
