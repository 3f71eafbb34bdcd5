/**
 * One upload as the dashboard shows it: what the pipeline writes to `metadata/<name>.json`
 * and what `GET /files` returns (docs/contracts.md).
 */
export interface FileRecord {
  /** The object key, e.g. `incoming/<uuid>-cat.png`. */
  key: string;
  /** The name the student chose, e.g. `cat.png`. */
  name: string;
  size: number;
  contentType: string;
  /** Without the quotes S3 puts around it. */
  etag: string;
  /** ISO-8601, e.g. `2026-03-01T12:00:00.000Z`. */
  uploadedAt: string;
}

/** Checks a parsed metadata file before it reaches the dashboard. */
export function isFileRecord(value: unknown): value is FileRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.key === 'string' &&
    typeof record.name === 'string' &&
    typeof record.size === 'number' &&
    typeof record.contentType === 'string' &&
    typeof record.etag === 'string' &&
    typeof record.uploadedAt === 'string' &&
    !Number.isNaN(Date.parse(record.uploadedAt))
  );
}
