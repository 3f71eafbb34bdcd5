import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeletePublicAccessBlockCommand,
  ListObjectsV2Command,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type ObjectOwnership,
} from '@aws-sdk/client-s3';
import type { Mutation } from './mutation.ts';
import {
  editApiCors,
  editBucketCors,
  editIntegration,
  editNotification,
  editPutPolicy,
  editRouteKey,
  editTicketEnv,
  editTicketHandler,
  removeApiInvokePermission,
  type MutationEnv,
} from './mutate.ts';

const put = (resource: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'PutUploadsOnly', Effect: 'Allow', Action: 's3:PutObject', Resource: resource }],
});

async function blockPublicAccess({ aws, outputs }: MutationEnv): Promise<void> {
  const all = {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  };
  await aws.s3.send(
    new PutPublicAccessBlockCommand({ Bucket: outputs.bucket, PublicAccessBlockConfiguration: all }),
  );
}

async function setOwnership({ aws, outputs }: MutationEnv, ObjectOwnership: ObjectOwnership): Promise<void> {
  await aws.s3.send(
    new PutBucketOwnershipControlsCommand({
      Bucket: outputs.bucket,
      OwnershipControls: { Rules: [{ ObjectOwnership }] },
    }),
  );
}

/** An upload the student made public with an ACL, as the console's "Make public" does. */
const PUBLIC_UPLOAD = 'incoming/shared-photo.txt';

/** Mistakes in the AWS configuration: CORS, environment, IAM, routes, permissions, notifications. */
export const awsMutations: Mutation[] = [
  {
    id: 'api-cors-origin-missing',
    mistake: 'API CORS allows another origin than the page',
    fails: { 'api-cors': 'api-cors.origin-missing' },
    apply: (env) => editApiCors(env, (c) => ({ ...c, AllowOrigins: ['https://example.com'] })),
  },
  {
    id: 'api-cors-no-post',
    mistake: 'API CORS still allows only GET',
    fails: { 'api-cors': 'api-cors.method-missing' },
    apply: (env) => editApiCors(env, (c) => ({ ...c, AllowMethods: ['GET', 'OPTIONS'] })),
  },
  {
    id: 'api-cors-no-content-type',
    mistake: 'API CORS allows `authorization` but not `content-type`',
    fails: { 'api-cors': 'api-cors.header-missing' },
    shows: [
      /Your API allows headers `authorization`; the upload form sends `content-type`\. Add `content-type`/,
    ],
    apply: (env) => editApiCors(env, (c) => ({ ...c, AllowHeaders: ['authorization'] })),
  },
  {
    id: 'bucket-cors-missing',
    mistake: 'no CORS configuration on the bucket',
    fails: { 'bucket-cors': 'bucket-cors.missing' },
    apply: (env) => editBucketCors(env, () => undefined),
  },
  {
    id: 'bucket-cors-origin-trailing-slash',
    mistake: 'bucket CORS origin typed with a trailing slash',
    fails: { 'bucket-cors': 'bucket-cors.origin-trailing-slash' },
    apply: (env) =>
      editBucketCors(env, (rules) =>
        rules.map((r) => ({ ...r, AllowedOrigins: [`${env.outputs.frontendOrigin}/`] })),
      ),
  },
  {
    id: 'bucket-cors-no-post',
    mistake: 'bucket CORS allows GET and PUT, not POST',
    fails: { 'bucket-cors': 'bucket-cors.no-post' },
    apply: (env) =>
      editBucketCors(env, (rules) => rules.map((r) => ({ ...r, AllowedMethods: ['GET', 'PUT'] }))),
  },
  {
    id: 'bucket-cors-no-etag',
    mistake: 'bucket CORS does not expose ETag',
    fails: { 'bucket-cors': 'bucket-cors.etag-not-exposed' },
    apply: (env) =>
      editBucketCors(env, (rules) => rules.map((r) => ({ ...r, ExposeHeaders: ['x-amz-request-id'] }))),
  },
  {
    id: 'bucket-cors-wrong-origin',
    mistake: "bucket CORS allows another dev server's origin",
    fails: { 'bucket-cors': 'bucket-cors.origin-missing' },
    apply: (env) =>
      editBucketCors(env, (rules) => rules.map((r) => ({ ...r, AllowedOrigins: ['http://localhost:3000'] }))),
  },
  {
    id: 'ticket-no-upload-bucket',
    mistake: 'the ticket function has no UPLOAD_BUCKET',
    fails: { 'ticket-function': 'ticket-function.no-upload-bucket' },
    apply: (env) => editTicketEnv(env, ({ UPLOAD_BUCKET: _, ...rest }) => rest),
  },
  {
    id: 'ticket-wrong-bucket',
    mistake: 'UPLOAD_BUCKET names another bucket',
    fails: { 'ticket-function': 'ticket-function.wrong-bucket' },
    apply: (env) => editTicketEnv(env, (v) => ({ ...v, UPLOAD_BUCKET: `${env.outputs.bucket}-old` })),
  },
  {
    id: 'put-policy-missing',
    mistake: 'the role has no s3:PutObject at all',
    fails: { 'put-permission': 'put-permission.missing' },
    apply: (env) => editPutPolicy(env, undefined),
  },
  {
    id: 'put-bucket-arn-only',
    mistake: 's3:PutObject granted on the bucket ARN, not its objects',
    fails: { 'put-permission': 'put-permission.bucket-arn-only' },
    shows: [
      /allows `s3:PutObject` on `arn:aws:s3:::[a-z0-9-]+`, the bucket itself/,
      /Resource to `arn:aws:s3:::[a-z0-9-]+\/incoming\/\*`/,
    ],
    apply: (env) => editPutPolicy(env, put(`arn:aws:s3:::${env.outputs.bucket}`)),
  },
  {
    id: 'put-wrong-prefix',
    mistake: 's3:PutObject granted on uploads/* instead of incoming/*',
    fails: { 'put-permission': 'put-permission.wrong-prefix' },
    apply: (env) => editPutPolicy(env, put(`arn:aws:s3:::${env.outputs.bucket}/uploads/*`)),
  },
  {
    id: 'route-wrong-method',
    mistake: 'the route is GET /upload-url',
    fails: { 'upload-route': 'upload-route.wrong-method' },
    apply: (env) => editRouteKey(env, 'GET /upload-url'),
  },
  {
    id: 'route-wrong-path',
    mistake: 'the route is POST /upload',
    fails: { 'upload-route': 'upload-route.wrong-path' },
    apply: (env) => editRouteKey(env, 'POST /upload'),
  },
  {
    id: 'route-any-method',
    mistake: 'the route is ANY /upload-url, so the preflight goes to the function',
    fails: { 'api-cors': 'api-cors.preflight-routed', 'upload-route': 'upload-route.wrong-method' },
    apply: (env) => editRouteKey(env, 'ANY /upload-url'),
  },
  {
    id: 'route-no-invoke-permission',
    mistake: 'API Gateway may not invoke the ticket function',
    fails: { 'upload-route': 'upload-route.no-invoke-permission' },
    apply: removeApiInvokePermission,
  },
  {
    id: 'route-payload-v1',
    mistake: 'the integration uses payload format 1.0',
    fails: { 'upload-route': 'upload-route.payload-version' },
    apply: (env) => editIntegration(env, { PayloadFormatVersion: '1.0' }),
  },
  {
    id: 'route-wrong-function',
    mistake: 'the route calls the list-files function',
    fails: { 'upload-route': 'upload-route.wrong-function' },
    apply: async (env) => {
      const arn = `arn:aws:lambda:${env.outputs.region}:000000000000:function:${env.outputs.functions.listFiles}`;
      return editIntegration(env, { IntegrationUri: arn });
    },
  },
  {
    id: 'notification-put-only',
    mistake: 'the pipeline listens to ObjectCreated:Put only',
    fails: { dashboard: 'dashboard.notification-put-only' },
    apply: (env) => editNotification(env, (c) => ({ ...c, Events: ['s3:ObjectCreated:Put'] })),
  },
  {
    id: 'notification-wrong-prefix',
    mistake: 'the pipeline listens under uploads/',
    fails: { dashboard: 'dashboard.notification-wrong-prefix' },
    apply: (env) =>
      editNotification(env, (c) => ({
        ...c,
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
      })),
  },
  {
    id: 'bucket-block-public-access-off',
    mistake: 'Block Public Access turned off on the bucket',
    fails: { 'bucket-private': 'bucket-private.block-public-access-off' },
    apply: async (env) => {
      await env.aws.s3.send(new DeletePublicAccessBlockCommand({ Bucket: env.outputs.bucket }));
      return () => blockPublicAccess(env);
    },
  },
  {
    id: 'bucket-public-read',
    mistake: 'a bucket policy lets anyone read the uploads',
    fails: { 'bucket-private': 'bucket-private.public-read' },
    shows: [/statement 1 \(s3:GetObject\)/],
    apply: async (env) => {
      const Bucket = env.outputs.bucket;
      // AWS refuses a public policy while Block Public Access is on: the student turned it off first.
      await env.aws.s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
      const Policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` },
        ],
      });
      try {
        await env.aws.s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
      } catch (err) {
        await blockPublicAccess(env);
        throw err;
      }
      return async () => {
        await env.aws.s3.send(new DeleteBucketPolicyCommand({ Bucket }));
        await blockPublicAccess(env);
      };
    },
  },
  {
    id: 'uploads-public-acl',
    mistake: 'an upload made public-read by ACL (ownership switched to ObjectWriter, BPA off)',
    fails: { 'bucket-private': 'bucket-private.public-acl' },
    shows: [/AllUsers READ/, /ObjectWriter/],
    apply: async (env) => {
      const Bucket = env.outputs.bucket;
      // ACLs count only once ownership allows them and Block Public Access no longer refuses them.
      await setOwnership(env, 'ObjectWriter');
      await env.aws.s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
      await env.aws.s3.send(
        new PutObjectCommand({ Bucket, Key: PUBLIC_UPLOAD, Body: 'a shared photo', ACL: 'public-read' }),
      );
      return async () => {
        await env.aws.s3.send(new DeleteObjectCommand({ Bucket, Key: PUBLIC_UPLOAD }));
        // The pipeline's metadata record of that upload, if it was written already.
        const listed = await env.aws.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'metadata/' }));
        for (const o of listed.Contents ?? [])
          if (o.Key?.includes('shared-photo'))
            await env.aws.s3.send(new DeleteObjectCommand({ Bucket, Key: o.Key }));
        await setOwnership(env, 'BucketOwnerEnforced');
        await blockPublicAccess(env);
      };
    },
  },
  {
    id: 'bucket-public-policy',
    mistake: 'Block Public Access turned off and a public policy added (anyone may upload)',
    fails: { 'bucket-private': 'bucket-private.public-policy' },
    shows: [/AnyoneCanUpload/],
    apply: async (env) => {
      const Bucket = env.outputs.bucket;
      await env.aws.s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
      const Policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AnyoneCanUpload',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: `arn:aws:s3:::${Bucket}/incoming/*`,
          },
        ],
      });
      try {
        await env.aws.s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
      } catch (err) {
        await blockPublicAccess(env);
        throw err;
      }
      return async () => {
        await env.aws.s3.send(new DeleteBucketPolicyCommand({ Bucket }));
        await blockPublicAccess(env);
      };
    },
  },
  {
    id: 'ticket-wrong-handler',
    mistake: 'the handler setting names an export that does not exist',
    fails: { 'ticket-function': 'ticket-function.crashed' },
    shows: [/--- log tail ---\n[\s\S]*index\.main/],
    apply: (env) => editTicketHandler(env, 'index.main'),
  },
];
