import { randomBytes } from 'node:crypto';
import type { RecordSpan } from '../../../storage/append-log.ts';
import { KeyIndex } from './key-index.ts';
import { isDataFile, type StoredRecord } from './object-records.ts';
import type { ObjectMeta } from './types.ts';

/** The id of a version written while the bucket was unversioned or suspended. */
export const NULL_VERSION = 'null';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';
/** Leading characters of a version id that hold its `seq` (base 64, most significant first). */
const SEQ_DIGITS = 10;

/** The next `seq` (process-wide, kept above every seq any journal replayed). */
let nextSeq = 1;
export const reserveSeq = (): number => nextSeq++;

/**
 * 32 characters of `[A-Za-z0-9._]`, like AWS's version ids [REC-assert
 * test_object_version_id_format]. The first ten hold the version's `seq`, so that a listing
 * can continue after a version-id marker whose version was deleted meanwhile (s3-tests'
 * cleanup deletes each page before asking for the next).
 */
export function newVersionId(seq = reserveSeq()): string {
  let head = '';
  for (let n = seq, i = 0; i < SEQ_DIGITS; i++, n = Math.floor(n / 64)) head = ALPHABET[n % 64]! + head;
  const tail = randomBytes(17)
    .toString('base64')
    .slice(0, 32 - SEQ_DIGITS);
  return head + tail.replace(/\+/g, '.').replace(/\//g, '_');
}

/** The `seq` a version id made by `newVersionId` holds (undefined for `null`). */
export function seqOfVersionId(versionId: string): number | undefined {
  if (versionId.length !== 32) return undefined;
  let n = 0;
  for (const c of versionId.slice(0, SEQ_DIGITS)) n = n * 64 + ALPHABET.indexOf(c);
  return n;
}

/** A well-formed version id: `null`, or what `newVersionId` makes (AWS's own ids look the same). */
export const isVersionId = (value: string): boolean =>
  value === NULL_VERSION || /^[A-Za-z0-9._]{32}$/.test(value);

/** One version of a key: an object, or a delete marker (no `meta`). */
export interface VersionEntry {
  key: string;
  versionId: string;
  /** Orders a key's versions: the highest is the latest. */
  seq: number;
  lastModified: string;
  meta?: ObjectMeta;
  /** The journal record that holds this version. */
  span: RecordSpan;
}

/**
 * Every version of every key of one bucket, in memory, built from the journal's records in
 * order (on replay as when they are appended). Each version lives in exactly one record, so
 * compaction keeps the records of `entries()` and nothing else.
 */
export class VersionTable {
  /** Keys whose latest version is an object (what ListObjects shows). */
  readonly current = new KeyIndex();
  /** Keys with any version, delete markers included (ListObjectVersions). */
  readonly keys = new KeyIndex();
  /** Journal bytes no version needs (replaced or deleted records, tombstones). */
  garbage = 0;
  private readonly stacks = new Map<string, VersionEntry[]>();
  /**
   * Seqs of first-format records, counted from 1 in journal order: they all come before any
   * record with a seq (which are above every seq seen), so their place stays the same however
   * many of them a compaction leaves.
   */
  private implicit = 0;

  /** The key's versions, newest first. */
  versions(key: string): readonly VersionEntry[] {
    return this.stacks.get(key) ?? [];
  }

  latest(key: string): VersionEntry | undefined {
    return this.stacks.get(key)?.[0];
  }

  find(key: string, versionId: string): VersionEntry | undefined {
    return this.stacks.get(key)?.find((v) => v.versionId === versionId);
  }

  /** The current object of `key`; undefined when there is none or its latest is a delete marker. */
  head(key: string): ObjectMeta | undefined {
    return this.latest(key)?.meta;
  }

  *entries(): Iterable<VersionEntry> {
    for (const stack of this.stacks.values()) yield* stack;
  }

  /**
   * Applies one durable record (`meta` is the object a put describes); returns the version it
   * replaced or removed. A record for a version replaces that version; a delete removes it.
   */
  apply(record: StoredRecord, meta: ObjectMeta | undefined, span: RecordSpan): VersionEntry | undefined {
    const versionId = record.versionId ?? NULL_VERSION;
    const removed = this.remove(record.key, versionId);
    if (record.op === 'delete') {
      // A tombstone is dead as soon as it is applied: nothing before it survives a compaction.
      this.garbage += span.length;
    } else {
      // Records of the first format have no seq: their order in the journal is their order.
      const seq = record.seq ?? ++this.implicit;
      nextSeq = Math.max(nextSeq, seq + 1);
      const entry: VersionEntry = {
        key: record.key,
        versionId,
        seq,
        lastModified: record.lastModified,
        ...(meta ? { meta: { ...meta, versionId } } : {}),
        span,
      };
      let stack = this.stacks.get(record.key);
      if (!stack) this.stacks.set(record.key, (stack = []));
      const at = stack.findIndex((v) => v.seq < seq);
      stack.splice(at === -1 ? stack.length : at, 0, entry);
    }
    this.refresh(record.key);
    return removed;
  }

  /** Follows a compaction: each version's record (and inline bytes) moved into `file`. */
  moved(moved: Map<number, number>, file: string): void {
    for (const entry of this.entries()) {
      const offset = moved.get(entry.span.offset)!;
      const meta = entry.meta;
      if (meta && !isDataFile(meta.dataFile))
        entry.meta = { ...meta, dataFile: file, dataOffset: meta.dataOffset - entry.span.offset + offset };
      entry.span = { offset, length: entry.span.length };
    }
    this.garbage = 0;
  }

  private remove(key: string, versionId: string): VersionEntry | undefined {
    const stack = this.stacks.get(key);
    const at = stack?.findIndex((v) => v.versionId === versionId) ?? -1;
    if (!stack || at === -1) return undefined;
    const [removed] = stack.splice(at, 1);
    this.garbage += removed!.span.length;
    return removed;
  }

  private refresh(key: string): void {
    const stack = this.stacks.get(key);
    if (!stack?.length) {
      this.stacks.delete(key);
      this.keys.remove(key);
      this.current.remove(key);
      return;
    }
    this.keys.add(key);
    if (stack[0]!.meta) this.current.add(key);
    else this.current.remove(key);
  }
}
