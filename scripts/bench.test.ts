import { describe, expect, it } from 'vitest';
import { main } from './bench.ts';

describe('npm run bench arguments', () => {
  it('refuses an unknown figure with LAB_USAGE and the list to choose from', async () => {
    await expect(main(['--only', 'uploads,nope'])).rejects.toThrow(
      /LAB_USAGE: unknown figure nope; choose from check, uploads, tickets, proxy/,
    );
  });

  it('refuses an unknown flag and a stray argument', async () => {
    await expect(main(['--fast'])).rejects.toThrow(/LAB_USAGE: unknown option --fast/);
    await expect(main(['now'])).rejects.toThrow(/LAB_USAGE: unexpected argument "now"/);
  });
});
