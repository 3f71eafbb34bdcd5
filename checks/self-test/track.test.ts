import { afterAll, beforeAll, describe, it } from 'vitest';
import { SELF_TEST_MISSING, startStack, type Stack } from './stack.ts';
import { walkTrack } from './track.ts';

// The same walk under AWS's timing is test/reliability/consistency.test.ts.
describe.skipIf(SELF_TEST_MISSING)('the track: the baseline, then each step in order', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('baseline');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('fails each row before its step, then passes it and every earlier row', async () => {
    await walkTrack(stack);
  }, 600_000);
});
