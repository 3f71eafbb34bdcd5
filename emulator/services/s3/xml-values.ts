import { s3Errors } from './s3-errors.ts';

/**
 * A repeated XML element as a list. Unlike `asArray`, an empty element stays one empty
 * string: S3 accepts and echoes `<AllowedOrigin></AllowedOrigin>`.
 */
export function xmlList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'object' && v !== null) throw s3Errors.malformedXml();
    return String(v);
  });
}

/** A repeated XML element whose items are structures. */
export function xmlStructs(value: unknown): Array<Record<string, unknown>> {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (v === '') return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw s3Errors.malformedXml();
    return v as Record<string, unknown>;
  });
}

/** The one child of the document root, or MalformedXML when the root is not `name`. */
export function xmlRoot(doc: Record<string, unknown>, name: string): Record<string, unknown> {
  const root = doc[name];
  if (root === '') return {};
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw s3Errors.malformedXml();
  return root as Record<string, unknown>;
}

/** An optional single text element. */
export function xmlText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') throw s3Errors.malformedXml();
  return String(value);
}

/** `true`/`false` as S3 reads booleans. */
export function xmlBool(value: unknown): boolean {
  const text = xmlText(value);
  if (text === undefined) return false;
  if (text !== 'true' && text !== 'false') throw s3Errors.malformedXml();
  return text === 'true';
}
