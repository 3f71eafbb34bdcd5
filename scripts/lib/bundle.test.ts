import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunction } from './bundle.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('bundleFunction', () => {
  it.each(['upload-ticket', 'file-metadata', 'list-files'])(
    '%s zips to one self-contained index.mjs exporting handler',
    async (name) => {
      const bundle = await bundleFunction(name);
      const files = unzipSync(bundle.zip);
      expect(Object.keys(files)).toEqual(['index.mjs']);
      // Outside the repository no node_modules can be found: the SDK must be inside the bundle.
      const dir = await mkdtemp(path.join(tmpdir(), 'lab-bundle-'));
      dirs.push(dir);
      const file = path.join(dir, 'index.mjs');
      await writeFile(file, files['index.mjs'] ?? new Uint8Array());
      const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
      expect(typeof mod.handler).toBe('function');
    },
  );

  it('gives the same bytes, and so the same CodeSha256, every time', async () => {
    const first = await bundleFunction('list-files');
    const fresh = await bundleFunction('list-files', undefined, { cache: false });
    expect(fresh.sha256).toBe(first.sha256);
    expect(Buffer.from(fresh.zip).equals(Buffer.from(first.zip))).toBe(true);
  });

  it('fails with LAB_BUNDLE_FAILED for a missing function', async () => {
    await expect(bundleFunction('no-such-function')).rejects.toMatchObject({ code: 'LAB_BUNDLE_FAILED' });
  });
});
