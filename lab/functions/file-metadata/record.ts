import type { FileRecord } from '../lib/file-record.ts';

/** What `HeadObject` tells about an upload; the SDK's `HeadObjectCommandOutput` fits. */
export interface ObjectHead {
  ContentLength?: number | undefined;
  ContentType?: string | undefined;
  ETag?: string | undefined;
  LastModified?: Date | undefined;
  /** User metadata, names lower-cased and without `x-amz-meta-`. */
  Metadata?: Record<string, string> | undefined;
}

const UUID_PART = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/;
/** A displayed name is for people; a longer one is cut. */
export const MAX_NAME_LENGTH = 255;

/**
 * Event keys are form-URL-encoded (`red flower.jpg` arrives as `red+flower.jpg`): `+` is a space,
 * then percent-decoding. A malformed escape is kept as it came rather than dropped.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function decodeEventKey(raw: string): string {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `metadata/<name>.json` for `incoming/<name>`; `undefined` for a key outside the upload prefix. */
export function metadataKeyFor(
  key: string,
  uploadPrefix: string,
  metadataPrefix: string,
): string | undefined {
  if (!key.startsWith(uploadPrefix) || key.length === uploadPrefix.length) return undefined;
  return `${metadataPrefix}${key.slice(uploadPrefix.length)}.json`;
}

/** The student's own file name: from `x-amz-meta-original-name` (URI-encoded) when present, else from the key. */
export function displayName(
  key: string,
  uploadPrefix: string,
  metadata: Record<string, string> = {},
): string {
  const stored = metadata['original-name'];
  let name = '';
  if (stored) {
    try {
      name = decodeURIComponent(stored);
    } catch {
      name = stored;
    }
  }
  if (!name.trim()) {
    const rest = key.startsWith(uploadPrefix) ? key.slice(uploadPrefix.length) : key;
    name = rest.replace(UUID_PART, '') || rest;
  }
  return [...name].slice(0, MAX_NAME_LENGTH).join('');
}

/** The record for one upload. `fallbackTime` (the event's time) is used only if S3 gave no date. */
export function buildFileRecord(
  key: string,
  head: ObjectHead,
  uploadPrefix: string,
  fallbackTime: Date,
): FileRecord {
  return {
    key,
    name: displayName(key, uploadPrefix, head.Metadata),
    size: head.ContentLength ?? 0,
    contentType: head.ContentType ?? 'binary/octet-stream',
    etag: (head.ETag ?? '').replace(/^"|"$/g, ''),
    uploadedAt: (head.LastModified ?? fallbackTime).toISOString(),
  };
}
