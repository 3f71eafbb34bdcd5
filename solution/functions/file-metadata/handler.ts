import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3ClientCache } from '../lib/s3-client.ts';
import { metadataConfig } from './config.ts';
import type { MetadataConfig } from './config.ts';
import { buildFileRecord, decodeEventKey, metadataKeyFor } from './record.ts';

/** The fields of an S3 event notification record this function reads. */
export interface S3EventRecord {
  eventName?: string;
  eventTime?: string;
  s3?: { bucket?: { name?: string }; object?: { key?: string } };
}

export interface S3Event {
  Records?: S3EventRecord[];
}

export interface MetadataSummary {
  written: string[];
  ignored: string[];
}

export type MetadataHandler = (event: S3Event | null | undefined) => Promise<MetadataSummary>;

/**
 * Builds the handler around a configuration source, so tests can pass their own. Retries are
 * safe: the same object always yields the same record at the same key, written over the old one.
 */
export function createMetadataHandler(loadConfig: () => MetadataConfig): MetadataHandler {
  const clientFor = s3ClientCache();
  return async (event) => {
    const config = loadConfig();
    const s3 = clientFor(config);
    const summary: MetadataSummary = { written: [], ignored: [] };
    const failures: string[] = [];
    for (const record of event?.Records ?? []) {
      const bucket = record.s3?.bucket?.name;
      const rawKey = record.s3?.object?.key;
      const key = rawKey === undefined ? undefined : decodeEventKey(rawKey);
      const target = key && metadataKeyFor(key, config.uploadPrefix, config.metadataPrefix);
      if (!bucket || !key || !target || !record.eventName?.startsWith('ObjectCreated:')) {
        // Includes our own writes under metadata/, so a misconfigured trigger cannot loop.
        console.log(JSON.stringify({ msg: 'ignored', bucket, key, eventName: record.eventName }));
        summary.ignored.push(key ?? '');
        continue;
      }
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        const eventTime = new Date(record.eventTime ?? Date.now());
        const fileRecord = buildFileRecord(
          key,
          head,
          config.uploadPrefix,
          Number.isNaN(eventTime.valueOf()) ? new Date() : eventTime,
        );
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: target,
            Body: JSON.stringify(fileRecord),
            ContentType: 'application/json',
          }),
        );
        console.log(JSON.stringify({ msg: 'record written', bucket, key, record: target }));
        summary.written.push(target);
      } catch (err) {
        if (isNotFound(err)) {
          // Deleted before we got to it (or a late retry): nothing to describe.
          console.log(JSON.stringify({ msg: 'object gone, skipped', bucket, key }));
          summary.ignored.push(key);
          continue;
        }
        console.error(`file-metadata: could not record s3://${bucket}/${key}`, err);
        failures.push(key);
      }
    }
    // Throwing makes Lambda retry the event; records already written are simply written again.
    if (failures.length > 0)
      throw new Error(`file-metadata: ${failures.length} record(s) failed: ${failures.join(', ')}`);
    return summary;
  };
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** The Lambda entry point (`index.handler` after bundling). */
export const handler: MetadataHandler = createMetadataHandler(metadataConfig);
