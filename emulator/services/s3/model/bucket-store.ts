import { Consistency } from '../../../core/consistency.ts';
import { SettingHistory } from '../../../core/setting-history.ts';
import { JsonStore } from '../../../storage/json-store.ts';
import type { BucketRecord } from './types.ts';

/**
 * The bucket settings that take effect after a delay with `--consistency aws` (§11.3). A new
 * setting opts in by adding its record member here and being read through `inForce` where it is enforced.
 */
const DELAYED_SETTINGS = [
  'cors',
  'notification',
  'publicAccessBlock',
  'policy',
  'ownership',
  'acl',
] as const satisfies readonly (keyof BucketRecord)[];

/** The buckets: one JSON record each (name, region, tags, CORS, public access block, notifications). */
export class BucketStore {
  private readonly history: SettingHistory<unknown>;

  private constructor(
    private readonly store: JsonStore<BucketRecord>,
    consistency: Consistency,
  ) {
    this.history = new SettingHistory(consistency, 'bucketSetting');
  }

  static async open(dir: string, consistency = new Consistency()): Promise<BucketStore> {
    return new BucketStore(await JsonStore.open<BucketRecord>(dir), consistency);
  }

  /** The bucket as configured (what Get* operations answer). */
  get(name: string): BucketRecord | undefined {
    return this.store.get(name);
  }

  /**
   * The bucket as enforced now: with `--consistency aws`, a setting changed less than its delay
   * ago still has its previous value (CORS preflights, notifications, access checks read this).
   */
  inForce(name: string): BucketRecord | undefined {
    const record = this.store.get(name);
    if (!record) return undefined;
    let view: Record<string, unknown> | undefined;
    for (const setting of DELAYED_SETTINGS) {
      const key = `${name}/${setting}`;
      if (!this.history.pending(key)) continue;
      view ??= { ...record };
      const value = this.history.inForce(key, record[setting]);
      if (value === undefined) delete view[setting];
      else view[setting] = value;
    }
    return (view as BucketRecord | undefined) ?? record;
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
    for (const setting of DELAYED_SETTINGS)
      if (JSON.stringify(current[setting]) !== JSON.stringify(next[setting]))
        this.history.replaced(`${name}/${setting}`, current[setting]);
    return next;
  }

  delete(name: string): Promise<void> {
    // A bucket created again under the name starts with its own settings.
    for (const setting of DELAYED_SETTINGS) this.history.forget(`${name}/${setting}`);
    return this.store.delete(name);
  }

  clear(): Promise<void> {
    this.history.clear();
    return this.store.clear();
  }
}
