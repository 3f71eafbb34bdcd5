import type { Consistency, DelayName } from './consistency.ts';

interface Replaced<T> {
  value: T;
  /** When it was replaced (ms since epoch). */
  at: number;
}

/**
 * A setting whose changes take effect after a delay (`--consistency aws`): the values replaced
 * less than the delay ago, so a reader can ask which one was in force at a given time. Only what
 * is being replaced is kept here; the current value stays in its own durable store. A restart
 * forgets the history, so every change pending at that moment is in force at once (nothing
 * vanishes, nothing is undone). Deterministic: a function of each change's time.
 *
 * To make a new setting delayed: call `replaced(key, previous)` where it is written and read it
 * through `inForce(key, current)` where it is enforced.
 */
export class SettingHistory<T> {
  private readonly byKey = new Map<string, Replaced<T>[]>();

  constructor(
    private readonly consistency: Consistency,
    private readonly delay: DelayName,
  ) {}

  /** Records that `key`'s value `previous` was replaced just now (no-op in immediate mode). */
  replaced(key: string, previous: T, now = Date.now()): void {
    const delay = this.consistency.delayMs(this.delay);
    if (delay === 0) return;
    const list = (this.byKey.get(key) ?? []).filter((r) => r.at + delay > now);
    list.push({ value: structuredClone(previous), at: now });
    this.byKey.set(key, list);
  }

  /**
   * The value in force at `now`: the one that was current `delay` ago, i.e. the oldest value
   * replaced less than the delay ago, else `current`.
   */
  inForce(key: string, current: T, now = Date.now()): T {
    const list = this.byKey.get(key);
    if (!list) return current;
    const delay = this.consistency.delayMs(this.delay);
    const pending = list.filter((r) => r.at + delay > now);
    if (pending.length === 0) {
      this.byKey.delete(key);
      return current;
    }
    return pending[0]!.value;
  }

  /** Whether a change of `key` is still on its way. */
  pending(key: string, now = Date.now()): boolean {
    const delay = this.consistency.delayMs(this.delay);
    return (this.byKey.get(key) ?? []).some((r) => r.at + delay > now);
  }

  /** Drops what is pending for `key` (its resource was deleted). */
  forget(key: string): void {
    this.byKey.delete(key);
  }

  clear(): void {
    this.byKey.clear();
  }
}
