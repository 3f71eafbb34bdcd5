import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../../../storage/group-sync.ts';
import type { StoredRecord } from './object-records.ts';

/** An object as the first storage format kept it: `<sha256(key)>.meta.json` naming its `.data` file. */
interface LegacyMeta extends Omit<Extract<StoredRecord, { op: 'put' }>, 'op'> {
  dataFile: string;
}

/**
 * Moves objects of the first storage format (one `.meta.json` per object) into the journal: a
 * put record for each whose data file exists and whose key the journal does not know yet (a
 * crash mid-migration leaves some done), then the meta files go and the folder is synced, so
 * that an old meta can never come back over a newer record.
 */
export async function migrateMetaFiles(
  dir: string,
  present: Set<string>,
  known: (key: string) => boolean,
  append: (record: StoredRecord) => Promise<unknown>,
): Promise<void> {
  const metaFiles = [...present].filter((name) => name.endsWith('.meta.json'));
  if (!metaFiles.length) return;
  for (const name of metaFiles) {
    const meta = await readFile(join(dir, name), 'utf8').then(
      (text) => JSON.parse(text) as LegacyMeta,
      () => undefined,
    );
    if (!meta || typeof meta.key !== 'string' || !present.has(meta.dataFile) || known(meta.key)) continue;
    await append({ ...meta, op: 'put' });
  }
  for (const name of metaFiles) {
    await rm(join(dir, name), { force: true });
    present.delete(name);
  }
  await fsyncDir(dir);
}
