import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderSyncs, GroupSync } from './group-sync.ts';

/** A flush that only finishes when the test says so, and remembers when each one started. */
function controlledFlush() {
  const started: Array<() => void> = [];
  let calls = 0;
  const sync = new GroupSync(
    () =>
      new Promise<void>((resolve) => {
        calls++;
        started.push(resolve);
      }),
  );
  return { sync, started, calls: () => calls };
}

const settledFlag = (p: Promise<unknown>) => {
  const flag = { done: false };
  void p.then(() => (flag.done = true));
  return flag;
};
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupSync', () => {
  it('makes a caller who arrives mid-flush wait for a flush that started after it', async () => {
    const { sync, started, calls } = controlledFlush();
    const first = settledFlag(sync.request());
    const second = settledFlag(sync.request());
    expect(calls()).toBe(1);
    started[0]!();
    await tick();
    expect(first.done).toBe(true);
    // The first flush may have begun before the second caller's change: a new one covers it.
    expect(second.done).toBe(false);
    expect(calls()).toBe(2);
    started[1]!();
    await tick();
    expect(second.done).toBe(true);
  });

  it('lets every caller that arrives during one flush share the next', async () => {
    const { sync, started, calls } = controlledFlush();
    void sync.request();
    const waiting = Array.from({ length: 50 }, () => settledFlag(sync.request()));
    started[0]!();
    await tick();
    started[1]!();
    await tick();
    expect(waiting.every((w) => w.done)).toBe(true);
    expect(calls()).toBe(2);
  });

  it('passes a failed flush to its callers and still serves later ones', async () => {
    let fail = true;
    const sync = new GroupSync(async () => {
      if (fail) throw new Error('EIO');
    });
    await expect(sync.request()).rejects.toThrow('EIO');
    fail = false;
    await expect(sync.request()).resolves.toBeUndefined();
  });

  it('fsyncs a real folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'group-sync-'));
    try {
      const syncDir = folderSyncs();
      await Promise.all([syncDir(dir), syncDir(dir), syncDir(dir)]);
      await expect(syncDir(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
