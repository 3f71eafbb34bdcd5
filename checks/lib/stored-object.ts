import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { CheckContext } from '../context.ts';
import { isAwsError } from './aws.ts';
import { debug } from './debug.ts';

/** An object the checker reads back to prove what landed. */
export interface StoredObject {
  key: string;
  size: number;
  etag: string;
  /** Its bytes as text, read only when the object has the expected size (the checker's files are small). */
  body?: string;
}

/** The object at `key` in the lab's bucket, or undefined when there is none. */
export async function readObject(
  ctx: CheckContext,
  key: string,
  expectedSize?: number,
): Promise<StoredObject | undefined> {
  debug(`reading ${key}`);
  try {
    const out = await ctx.aws.s3.send(new GetObjectCommand({ Bucket: ctx.target.bucket, Key: key }));
    const size = out.ContentLength ?? 0;
    const stored: StoredObject = { key, size, etag: out.ETag ?? '' };
    if (expectedSize === undefined || size === expectedSize) {
      stored.body = (await out.Body?.transformToString('utf8')) ?? '';
    } else {
      (out.Body as Readable | undefined)?.destroy();
    }
    debug(`read ${key}`);
    return stored;
  } catch (err) {
    if (isAwsError(err, 'NoSuchKey', 'NotFound')) return undefined;
    throw err;
  }
}
