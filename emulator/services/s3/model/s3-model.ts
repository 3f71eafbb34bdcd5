import type { EmulatorEnv } from '../../../core/env.ts';
import type { UploadStore } from '../multipart/upload-store.ts';
import type { NotificationDispatcher } from '../notifications/dispatcher.ts';
import type { BucketStore } from './bucket-store.ts';
import type { ObjectStore } from './object-store.ts';

/** The state of the local S3, handed to every handler. */
export interface S3Model {
  env: EmulatorEnv;
  buckets: BucketStore;
  objects: ObjectStore;
  notifications: NotificationDispatcher;
  /** Multipart uploads in progress. */
  uploads: UploadStore;
}

/**
 * The account's canonical user, as ListBuckets and object listings show the owner; no
 * `DisplayName`: AWS stopped returning it in November 2025.
 */
export const OWNER = {
  ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a',
};
