import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/log.ts';
import { syncDir } from '../../storage/atomic.ts';
import { logsErrors } from './errors.ts';
import { LogGroup } from './log-group.ts';

const DELETED = /\.deleted$/;

/**
 * Every log group, by region: `<dataDir>/logs/<region>/<sha256 of the name>/` holds one group's
 * journal (names may be 512 characters of `/` and `#`, too long and too odd for a file name).
 */
export class LogsStore {
  private readonly regions = new Map<string, Map<string, LogGroup>>();
  /** Groups being created: their names are taken, and a writer may wait for them. */
  private readonly creating = new Map<string, Promise<LogGroup>>();

  private constructor(
    private readonly root: string,
    private readonly logger: Logger,
  ) {}

  static async open(root: string, logger: Logger): Promise<LogsStore> {
    const store = new LogsStore(root, logger);
    await store.load();
    return store;
  }

  groups(region: string): LogGroup[] {
    return [...(this.regions.get(region)?.values() ?? [])].sort((a, b) => compare(a.name, b.name));
  }

  find(region: string, name: string): LogGroup | undefined {
    return this.regions.get(region)?.get(name);
  }

  get(region: string, name: string): LogGroup {
    const group = this.find(region, name);
    if (!group) throw logsErrors.groupNotFound();
    return group;
  }

  /** Creates a group; resolves once it is durable. Two creates of one name: the second fails. */
  async create(region: string, name: string, now: number): Promise<LogGroup> {
    const key = `${region}\n${name}`;
    if (this.find(region, name) || this.creating.has(key)) throw logsErrors.groupExists();
    const created = (async () => {
      const group = await LogGroup.create(this.dirOf(region, name), name, now);
      let groups = this.regions.get(region);
      if (!groups) this.regions.set(region, (groups = new Map()));
      groups.set(name, group);
      return group;
    })();
    this.creating.set(key, created);
    try {
      return await created;
    } finally {
      this.creating.delete(key);
    }
  }

  /**
   * The group, created if missing; a creation already under way (another invocation's, or a
   * CreateLogGroup call) is waited for rather than refused.
   */
  async ensure(region: string, name: string, now: number): Promise<LogGroup> {
    const found = this.find(region, name);
    if (found) return found;
    const pending = this.creating.get(`${region}\n${name}`);
    if (pending) return pending;
    return this.create(region, name, now);
  }

  /** Deletes a group: gone from view at once, its folder renamed aside (durably), then removed. */
  async delete(region: string, name: string): Promise<void> {
    const group = this.get(region, name);
    this.regions.get(region)!.delete(name);
    await group.close();
    const dir = this.dirOf(region, name);
    const aside = `${dir}.${randomBytes(6).toString('hex')}.deleted`;
    await rename(dir, aside);
    await syncDir(join(this.root, encodeURIComponent(region)));
    await rm(aside, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    const all = [...this.regions.values()].flatMap((m) => [...m.values()]);
    this.regions.clear();
    await Promise.all(all.map((g) => g.close()));
  }

  async reset(): Promise<void> {
    await this.close();
    await rm(this.root, { recursive: true, force: true });
    await mkdir(this.root, { recursive: true });
  }

  private dirOf(region: string, name: string): string {
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 40);
    return join(this.root, encodeURIComponent(region), hash);
  }

  private async load(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    for (const regionDir of await readdir(this.root)) {
      const region = decodeURIComponent(regionDir);
      const groups = new Map<string, LogGroup>();
      for (const entry of await readdir(join(this.root, regionDir))) {
        const dir = join(this.root, regionDir, entry);
        if (DELETED.test(entry) || entry.startsWith('.tmp-')) {
          await rm(dir, { recursive: true, force: true });
          continue;
        }
        const group = await LogGroup.load(dir);
        if (group) groups.set(group.name, group);
        else {
          this.logger.info(`logs: dropping ${dir}, a log group whose creation never finished`);
          await rm(dir, { recursive: true, force: true });
        }
      }
      this.regions.set(region, groups);
    }
  }
}

/** Log groups and streams are listed in byte order of their names (ASCII names: code units). */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
