import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it returns something other than `undefined`, or fails after `deadlineMs`
 * with the last value seen. For conditions that become true later (`--consistency aws`): tests
 * wait on the condition, never assert how long it took.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { deadlineMs = 30_000, everyMs = 100, what = 'the condition' } = {},
): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'undefined';
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(`${what} did not hold within ${deadlineMs} ms; last: ${String(last)}`);
    await sleep(everyMs);
  }
}
