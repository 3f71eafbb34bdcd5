import type { Cors } from '@aws-sdk/client-apigatewayv2';
import type { Resource, RunContext } from './context.ts';
import { METADATA_PREFIX, UPLOAD_PREFIX } from './names.ts';
import type { PolicyDocument } from './policies.ts';
import { ensureApi, ensureApiCors, ensureStage } from './resources/api.ts';
import { ensureBucket } from './resources/bucket.ts';
import { ensureFunction } from './resources/function.ts';
import { ensureNotification } from './resources/notification.ts';
import { ensurePermission } from './resources/permission.ts';
import { ensureRole } from './resources/role.ts';
import { requireApi } from './resources/require.ts';
import { ensureRoute } from './resources/route.ts';

/** Before the lesson the dashboard only reads: GET from the frontend origin. */
export const baselineApiCors = (origin: string): Cors => ({
  AllowOrigins: [origin],
  AllowMethods: ['GET'],
  MaxAge: 300,
});

const s3Policy = (statements: Array<[string, string]>): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements.map(([Action, Resource]) => ({ Effect: 'Allow', Action, Resource })),
});

const bucketArn = (ctx: RunContext): string => `arn:${ctx.target.partition}:s3:::${ctx.names.bucket}`;

/** file-metadata reads uploads and writes records, nothing else. */
export const fileMetadataPolicy = (ctx: RunContext): PolicyDocument =>
  s3Policy([
    ['s3:GetObject', `${bucketArn(ctx)}/${UPLOAD_PREFIX}*`],
    ['s3:PutObject', `${bucketArn(ctx)}/${METADATA_PREFIX}*`],
  ]);

/** list-files lists the bucket and reads records, nothing else. */
export const listFilesPolicy = (ctx: RunContext): PolicyDocument =>
  s3Policy([
    ['s3:ListBucket', bucketArn(ctx)],
    ['s3:GetObject', `${bucketArn(ctx)}/${METADATA_PREFIX}*`],
  ]);

/** `arn:aws:execute-api:<region>:<account>:<apiId>/*\/*\/<path>`: any stage, any method, this path. */
export const executeApiArn = (ctx: RunContext, apiId: string, path: string): string =>
  `arn:${ctx.target.partition}:execute-api:${ctx.target.region}:${ctx.target.account}:${apiId}/*/*/${path}`;

/**
 * The stack as it stands before this lesson: private bucket, the metadata pipeline and its
 * notification, and the HTTP API with `GET /files` and CORS for GET from the frontend origin.
 */
export function baselineResources(): Resource[] {
  return [
    { id: 'bucket', run: (ctx) => ensureBucket(ctx) },
    {
      id: 'role:fileMetadata',
      run: (ctx) =>
        ensureRole(ctx, 'fileMetadata', {
          [ctx.names.policies.fileMetadataS3]: fileMetadataPolicy(ctx),
        }),
    },
    {
      id: 'role:listFiles',
      run: (ctx) => ensureRole(ctx, 'listFiles', { [ctx.names.policies.listFilesS3]: listFilesPolicy(ctx) }),
    },
    {
      id: 'function:fileMetadata',
      run: (ctx) => ensureFunction(ctx, 'fileMetadata', { METADATA_PREFIX, UPLOAD_PREFIX }),
    },
    {
      id: 'function:listFiles',
      run: (ctx) => ensureFunction(ctx, 'listFiles', { FILES_BUCKET: ctx.names.bucket, METADATA_PREFIX }),
    },
    {
      id: 'permission:fileMetadata:s3',
      run: (ctx) =>
        ensurePermission(ctx, {
          function: 'fileMetadata',
          sid: 's3-invoke',
          principal: 's3.amazonaws.com',
          sourceArn: bucketArn(ctx),
          sourceAccount: ctx.target.account,
        }),
    },
    { id: 'bucket-notification', run: (ctx) => ensureNotification(ctx) },
    { id: 'api', run: (ctx) => ensureApi(ctx) },
    { id: 'api-cors', run: (ctx) => ensureApiCors(ctx, baselineApiCors(ctx.origin)) },
    { id: 'route:GET /files', run: (ctx) => ensureRoute(ctx, 'GET /files', 'listFiles') },
    { id: 'stage', run: (ctx) => ensureStage(ctx) },
    {
      id: 'permission:listFiles:apigw',
      run: async (ctx) =>
        ensurePermission(ctx, {
          function: 'listFiles',
          sid: 'apigateway-get-files',
          principal: 'apigateway.amazonaws.com',
          sourceArn: executeApiArn(ctx, await requireApi(ctx), 'files'),
        }),
    },
  ];
}
