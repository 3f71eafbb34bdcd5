import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

/**
 * The launcher is plain JavaScript (Node runs it before anything can compile TypeScript), typed
 * with JSDoc; `npm run typecheck` covers only .ts, so its own tsconfig is checked here.
 */
it('type-checks the launcher (scripts/run.mjs, scripts/launcher/*.mjs) with checkJs', async () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = promisify(execFile)(
    process.execPath,
    [tsc, '--noEmit', '-p', 'scripts/launcher/tsconfig.json'],
    {
      cwd: root,
    },
  );
  await expect(run.then((r) => r.stdout)).resolves.toBe('');
});
