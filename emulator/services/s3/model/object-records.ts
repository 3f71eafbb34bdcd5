import type { ObjectMeta } from './types.ts';

/**
 * What one journal record says about one version of a key. Records of the first format carry
 * neither `versionId` nor `seq`: they are the key's `null` version, and a delete removes it.
 * `seq` orders a key's versions (newest highest); a put of an existing version id replaces it
 * at the place its `seq` gives (a tag update keeps it, a new `null` write moves it to the top).
 */
export type StoredRecord =
  | ({ op: 'put' } & Omit<ObjectMeta, 'dataFile' | 'dataOffset'> & { dataFile?: string; seq?: number })
  | { op: 'marker'; key: string; versionId?: string; seq?: number; lastModified: string }
  | { op: 'delete'; key: string; versionId?: string };

const OPS = new Set(['put', 'marker', 'delete']);

/** A decoded record: for a put, where its inline bytes start within the payload. */
export interface DecodedRecord {
  record: StoredRecord;
  /** Offset of the inline bytes from the start of the payload (puts without `dataFile`). */
  dataStart: number;
}

/** `.data` files hold one object's bytes each; everything else in a bucket's folder is the journal or temp. */
export const isDataFile = (name: string): boolean => name.endsWith('.data');

/**
 * The payload of a journal record: a u32 length, the record as JSON, then (for a put without
 * `dataFile`) the object's bytes inline.
 */
export function encodeRecord(record: StoredRecord, inline?: Buffer): Buffer[] {
  const json = JSON.stringify(record);
  const length = Buffer.byteLength(json, 'utf8');
  const head = Buffer.allocUnsafe(4 + length);
  head.writeUInt32BE(length, 0);
  head.write(json, 4, 'utf8');
  return inline && inline.length ? [head, inline] : [head];
}

/** Offset of the inline bytes from the start of a payload `encodeRecord` built from `parts`. */
export const inlineStart = (parts: Buffer[]): number => parts[0]!.length;

export function decodeRecord(payload: Buffer): DecodedRecord | undefined {
  if (payload.length < 4) return undefined;
  const length = payload.readUInt32BE(0);
  if (4 + length > payload.length) return undefined;
  try {
    const record = JSON.parse(payload.toString('utf8', 4, 4 + length)) as StoredRecord;
    if (typeof record.key !== 'string' || !OPS.has(record.op)) return undefined;
    return { record, dataStart: 4 + length };
  } catch {
    return undefined;
  }
}

/** The object a put record describes, its bytes in `dataFile` at `dataOffset`. */
export function metaOf(
  record: Extract<StoredRecord, { op: 'put' }>,
  dataFile: string,
  dataOffset: number,
): ObjectMeta {
  const { op: _op, dataFile: _file, seq: _seq, ...meta } = record;
  return { ...meta, dataFile, dataOffset };
}
