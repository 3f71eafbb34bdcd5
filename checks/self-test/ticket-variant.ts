import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { join } from 'node:path';
import { REPO } from './stack.ts';

const REQUIRE_SHIM =
  "import { createRequire as __labCreateRequire } from 'node:module';\nconst require = __labCreateRequire(import.meta.url);";

/**
 * The solution's upload-ticket function with its `presign.ts` swapped for `variants/presign-<name>.ts`:
 * one realistic mistake in the one file a student writes, everything else as deployed.
 */
export async function bundleTicketVariant(name: string): Promise<Uint8Array> {
  const variant = join(REPO, 'checks', 'self-test', 'variants', `presign-${name}.ts`);
  const result = await build({
    entryPoints: [join(REPO, 'solution', 'functions', 'upload-ticket', 'index.ts')],
    absWorkingDir: REPO,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    outfile: 'index.mjs',
    write: false,
    banner: { js: REQUIRE_SHIM },
    logLevel: 'silent',
    plugins: [
      {
        name: 'presign-variant',
        setup(b) {
          b.onResolve({ filter: /^\.\/presign\.ts$/ }, () => ({ path: variant }));
        },
      },
    ],
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return zipSync({ 'index.mjs': [out.contents, { mtime: new Date(2024, 0, 1) }] });
}

/** The solution's own upload-ticket code, as the deploy ships it. */
export async function solutionTicketZip(): Promise<Uint8Array> {
  const { bundleFunction } = await import('../../scripts/lib/bundle.ts');
  return (await bundleFunction('upload-ticket')).zip;
}
