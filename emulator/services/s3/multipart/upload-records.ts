import type { Acl, Tag } from '../model/types.ts';

/** S3's flexible-checksum algorithms, as the API names them. */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export type ChecksumType = 'COMPOSITE' | 'FULL_OBJECT';

/** One multipart upload in progress, as `upload.json` in its folder holds it. */
export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  /** ISO-8601 */
  initiated: string;
  /** Who created it (ListParts `Initiator`). */
  /** `displayName` only in records written before AWS stopped returning DisplayName (Nov 2025). */
  initiator: { id: string; displayName?: string };
  /** What CreateMultipartUpload said the object will be. */
  contentType: string;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  storageClass?: string;
  tags?: Tag[];
  /** `x-amz-checksum-algorithm` / `-type` of Create; absent when none was given. */
  checksum?: { algorithm: ChecksumAlgorithm; type: ChecksumType };
  /** The ACL Create asked for (`x-amz-acl`, `x-amz-grant-*`), checked as PutObject checks it. */
  acl?: Acl;
}

/** One uploaded part, as `part.<n>.json` holds it; its bytes are in `file` beside it. */
export interface PartRecord {
  partNumber: number;
  /** MD5 hex of the part, unquoted. */
  etag: string;
  size: number;
  /** ISO-8601 */
  lastModified: string;
  file: string;
  /** The part's checksum in the upload's algorithm (or the one the client sent). */
  checksum?: { algorithm: string; value: string };
}

/** An upload in memory: its record, its parts, and the queue its changes go through one by one. */
export interface Upload {
  record: UploadRecord;
  dir: string;
  parts: Map<number, PartRecord>;
  /** Set once it is completed or aborted (or its bucket deleted): nothing may change it any more. */
  gone: boolean;
  queue: Promise<unknown>;
}

export const UPLOAD_FILE = 'upload.json';
export const partRecordName = (n: number): string => `part.${n}.json`;
export const PART_RECORD = /^part\.(\d+)\.json$/;
/** A part's bytes: `<n>-<random>.part`, so that a re-uploaded part never overwrites the old file in place. */
export const isPartFile = (name: string): boolean => name.endsWith('.part');
/** A completed or aborted upload's folder while it is being removed (cleared at the next start). */
export const DONE = '.done-';
