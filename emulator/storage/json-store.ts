import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from './atomic.ts';

/**
 * A durable map of small JSON records, one file per record under `dir`. Reads come from
 * memory; every write goes to disk atomically before it resolves, one at a time, so a
 * restart sees exactly what was acknowledged. Used for IAM, Lambda and API Gateway state.
 */
export class JsonStore<T> {
  private readonly records = new Map<string, T>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly dir: string) {}

  static async open<T>(dir: string): Promise<JsonStore<T>> {
    const store = new JsonStore<T>(dir);
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.json')) continue;
      const value = await readJsonFile<T>(join(dir, name)).catch(() => undefined);
      if (value !== undefined) store.records.set(decodeURIComponent(name.slice(0, -5)), value);
    }
    return store;
  }

  get(key: string): T | undefined {
    return this.records.get(key);
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  values(): T[] {
    return [...this.records.values()];
  }

  entries(): Array<[string, T]> {
    return [...this.records.entries()];
  }

  get size(): number {
    return this.records.size;
  }

  /** Stores `value` under `key`; resolves once it is on disk. */
  put(key: string, value: T): Promise<void> {
    this.records.set(key, value);
    return this.enqueue(() => writeFileAtomic(this.file(key), JSON.stringify(value)));
  }

  delete(key: string): Promise<void> {
    this.records.delete(key);
    return this.enqueue(() => rm(this.file(key), { force: true }));
  }

  async clear(): Promise<void> {
    this.records.clear();
    await this.enqueue(async () => {
      await rm(this.dir, { recursive: true, force: true });
      await mkdir(this.dir, { recursive: true });
    });
  }

  private file(key: string): string {
    return join(this.dir, encodeURIComponent(key).replace(/^\./, '%2E') + '.json');
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
