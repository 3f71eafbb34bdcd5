import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { isFileRecord } from '../lib/file-record.ts';
import type { FileRecord } from '../lib/file-record.ts';
import { failureResult, jsonResult } from '../lib/http.ts';
import type { HttpApiEvent, HttpApiResult } from '../lib/http.ts';
import { s3ClientCache } from '../lib/s3-client.ts';
import { listConfig } from './config.ts';
import type { ListConfig } from './config.ts';
import { candidates, parseLimit, READ_CONCURRENCY, readNewest } from './listing.ts';
import type { ListedObject } from './listing.ts';

/** `GET /files` answer body (docs/contracts.md). */
export interface FilesResponse {
  files: FileRecord[];
  count: number;
}

/** Listing stops after this many pages (100,000 records): the answer stays bounded. */
const MAX_PAGES = 100;

export type ListHandler = (event: HttpApiEvent | null | undefined) => Promise<HttpApiResult>;

/** Builds the handler around a configuration source, so tests can pass their own. */
export function createListHandler(loadConfig: () => ListConfig): ListHandler {
  const clientFor = s3ClientCache();
  return async (event) => {
    try {
      const config = loadConfig();
      const limit = parseLimit(event?.queryStringParameters?.limit);
      const s3 = clientFor(config);
      const files = await readNewest(
        candidates(await listMetadata(s3, config)),
        limit,
        READ_CONCURRENCY,
        (key) => readRecord(s3, config.bucket, key),
      );
      const response: FilesResponse = { files, count: files.length };
      return jsonResult(200, response);
    } catch (err) {
      return failureResult(err, 'list-files');
    }
  };
}

async function listMetadata(s3: S3Client, config: ListConfig): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await s3.send(
      new ListObjectsV2Command({
        Bucket: config.bucket,
        Prefix: config.metadataPrefix,
        ContinuationToken: token,
      }),
    );
    objects.push(...(answer.Contents ?? []));
    token = answer.NextContinuationToken;
    if (!answer.IsTruncated || !token) break;
  }
  return objects;
}

/** One metadata file; `undefined` (and a log line) when it vanished or is not a record. */
async function readRecord(s3: S3Client, bucket: string, key: string): Promise<FileRecord | undefined> {
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const parsed: unknown = JSON.parse((await answer.Body?.transformToString('utf8')) ?? '');
    if (isFileRecord(parsed)) return parsed;
    console.warn(JSON.stringify({ msg: 'not a file record, skipped', key }));
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    if (name !== 'NoSuchKey' && name !== 'SyntaxError') throw err;
    console.warn(JSON.stringify({ msg: 'unreadable record, skipped', key, reason: name }));
  }
  return undefined;
}

/** The Lambda entry point (`index.handler` after bundling). */
export const handler: ListHandler = createListHandler(listConfig);
