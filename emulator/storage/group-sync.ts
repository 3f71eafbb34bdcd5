import { open } from 'node:fs/promises';

/**
 * Group commit for one flush operation (a folder's fsync): `request()` resolves once a flush that
 * *started after the call* has finished, so it covers every change made before the call. Callers
 * that arrive while a flush runs share the next one; a burst of N callers costs two flushes, not N.
 */
export class GroupSync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly flush: () => Promise<void>) {}

  request(): Promise<void> {
    if (!this.running) return this.start();
    // The running flush may have started before the caller's change: wait for the next one.
    this.next ??= this.running.then(
      () => this.start(),
      () => this.start(),
    );
    return this.next;
  }

  private start(): Promise<void> {
    this.next = undefined;
    const run = this.flush();
    this.running = run;
    const clear = () => {
      if (this.running === run) this.running = undefined;
    };
    run.then(clear, clear);
    return run;
  }
}

/** Makes the entries of `dir` (creates, renames, unlinks) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems refuse fsync on a directory (EINVAL); the rename is still atomic there.
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
  } finally {
    await handle.close();
  }
}

/** One `GroupSync` per folder: `dirSync(dir)` makes everything renamed into `dir` so far durable. */
export function folderSyncs(): (dir: string) => Promise<void> {
  const syncs = new Map<string, GroupSync>();
  return (dir) => {
    let sync = syncs.get(dir);
    if (!sync) {
      sync = new GroupSync(() => fsyncDir(dir));
      syncs.set(dir, sync);
    }
    return sync.request();
  };
}
