import { join } from 'node:path';
import type { EmulatorEnv, Service } from '../../core/env.ts';
import { writeS3Error } from '../../protocols/rest-xml.ts';
import { preflight } from './cors/preflight.ts';
import { BucketStore } from './model/bucket-store.ts';
import { ObjectStore } from './model/object-store.ts';
import type { S3Model } from './model/s3-model.ts';
import { UploadStore } from './multipart/upload-store.ts';
import { dispatcherOptionsFromEnv, NotificationDispatcher } from './notifications/dispatcher.ts';
import { resolveS3 } from './routes.ts';

/**
 * The local S3: buckets and their configuration, objects on disk, browser POST uploads, CORS,
 * and ObjectCreated notifications to Lambda. State lives under `<dataDir>/s3/`.
 */
export async function createS3Service(env: EmulatorEnv): Promise<Service> {
  const root = join(env.dataDir, 's3');
  const buckets = await BucketStore.open(join(root, 'buckets'), env.consistency);
  const objects = await ObjectStore.open(join(root, 'objects'), (bucket) => buckets.get(bucket)?.versioning);
  const notifications = await NotificationDispatcher.open(
    join(root, 'events'),
    env,
    buckets,
    dispatcherOptionsFromEnv(),
  );
  const uploads = await UploadStore.open(
    join(root, 'uploads'),
    (bucket) => buckets.get(bucket) !== undefined,
    (bucket, key) => objects.head(bucket, key)?.uploadId,
  );
  const s3: S3Model = { env, buckets, objects, notifications, uploads };
  env.s3Preflight = (ctx) => preflight(ctx, buckets);
  return {
    name: 's3',
    signingNames: ['s3'],
    writeError: writeS3Error,
    resolve: (ctx) => resolveS3(ctx, s3),
    async reset() {
      await notifications.clear();
      await buckets.clear();
      await objects.clear();
      await uploads.clear();
    },
    async close() {
      await notifications.close();
      await uploads.close();
      await objects.close();
    },
  };
}
