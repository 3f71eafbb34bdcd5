import { JsonStore } from '../../../storage/json-store.ts';
import type { BucketRecord } from './types.ts';

/** The buckets: one JSON record each (name, region, tags, CORS, public access block, notifications). */
export class BucketStore {
  private constructor(private readonly store: JsonStore<BucketRecord>) {}

  static async open(dir: string): Promise<BucketStore> {
    return new BucketStore(await JsonStore.open<BucketRecord>(dir));
  }

  get(name: string): BucketRecord | undefined {
    return this.store.get(name);
  }

  list(): BucketRecord[] {
    return this.store.values().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  create(record: BucketRecord): Promise<void> {
    return this.store.put(record.name, record);
  }

  /** Applies `change` to a copy of the record and stores it durably. */
  async update(name: string, change: (record: BucketRecord) => void): Promise<BucketRecord> {
    const current = this.store.get(name);
    if (!current) throw new Error(`bucket ${name} vanished`);
    const next = structuredClone(current);
    change(next);
    await this.store.put(name, next);
    return next;
  }

  delete(name: string): Promise<void> {
    return this.store.delete(name);
  }

  clear(): Promise<void> {
    return this.store.clear();
  }
}
