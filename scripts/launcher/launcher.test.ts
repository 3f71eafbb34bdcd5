import { mkdtemp, readdir, rm, writeFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from './run-process.ts';

/**
 * The launcher on a small program of its own (outside the repository, with its own build folder):
 * a bundle is built once and reused until a source changes; argv, exit code, import.meta and
 * stack traces are those of the TypeScript program; a build error is coded.
 */
const MAIN = `import { fileURLToPath } from 'node:url';
import { pkgVersion } from 'fake-pkg';
import { fail, greeting } from './dep.ts';

const args = process.argv.slice(2);
console.log(
  JSON.stringify({
    greeting,
    pkgVersion,
    args,
    argv1: process.argv[1],
    file: fileURLToPath(import.meta.url),
    dirname: import.meta.dirname,
    filename: import.meta.filename,
    text: 'createRequire(import.meta.url)',
    sdkNotice: process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'],
  }),
);
const exit = args.indexOf('--exit');
if (exit >= 0) process.exitCode = Number(args[exit + 1]);
if (args.includes('--dep-throw')) fail();
if (args.includes('--throw')) throw new Error('main threw on purpose');
`;
const dep = (greeting: string) => `export const greeting: string = '${greeting}';

export function fail(): never {
  throw new Error('dep threw on purpose');
}
`;
const pkgJson = (version: string) =>
  JSON.stringify({ name: 'fake-pkg', version, type: 'module', main: 'index.js' });
const lineOf = (source: string, text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;

let dir: string;
let buildDir: string;
let entry: string;
const env = () => ({ LAB_BUILD_DIR: buildDir });
const parse = (stdout: string) => JSON.parse(stdout.trim().split('\n')[0] ?? '') as Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-launcher-'));
  buildDir = path.join(dir, 'build');
  entry = path.join(dir, 'src', 'main.ts');
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await mkdir(path.join(dir, 'node_modules', 'fake-pkg'), { recursive: true });
  // As in the repository: .ts files are ES modules (tsx, for LAB_NO_BUNDLE, reads this).
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(entry, MAIN);
  await writeFile(path.join(dir, 'src', 'dep.ts'), dep('one'));
  await writeFile(path.join(dir, 'node_modules', 'fake-pkg', 'package.json'), pkgJson('1.0.0'));
  await writeFile(path.join(dir, 'node_modules', 'fake-pkg', 'index.js'), "export const pkgVersion = '1';\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('scripts/run.mjs', () => {
  it('builds once, passes argv and the exit code through, and keeps import.meta of each source', async () => {
    const first = await launch(entry, ['--exit', '3', 'two words', '--flag=x'], env());
    expect(first.stderr).toMatch(/^lab: built .*outside-[0-9a-f]{10}-main\.mjs in \d+ ms$/m);
    expect(first.builds).toBe(1);
    expect(first.code).toBe(3);
    expect(parse(first.stdout)).toEqual({
      greeting: 'one',
      pkgVersion: '1',
      args: ['--exit', '3', 'two words', '--flag=x'],
      argv1: entry,
      file: entry,
      dirname: path.dirname(entry),
      filename: entry,
      text: 'createRequire(import.meta.url)',
      sdkNotice: 'true',
    });
    const again = await launch(entry, [], env());
    expect(again.builds).toBe(0);
    expect(again.code).toBe(0);
    expect(parse(again.stdout)['greeting']).toBe('one');
  });

  it('rebuilds when a source or a package changes, and only then', async () => {
    await launch(entry, [], env());
    await writeFile(path.join(dir, 'src', 'dep.ts'), dep('two!'));
    const changed = await launch(entry, [], env());
    expect(changed.builds).toBe(1);
    expect(parse(changed.stdout)['greeting']).toBe('two!');
    expect((await launch(entry, [], env())).builds).toBe(0);

    // A reinstall rewrites the package's package.json; that is what is watched in node_modules.
    await writeFile(
      path.join(dir, 'node_modules', 'fake-pkg', 'index.js'),
      "export const pkgVersion = '2';\n",
    );
    await writeFile(path.join(dir, 'node_modules', 'fake-pkg', 'package.json'), pkgJson('2.0.0'));
    const upgraded = await launch(entry, [], env());
    expect(upgraded.builds).toBe(1);
    expect(parse(upgraded.stdout)['pkgVersion']).toBe('2');
    expect((await launch(entry, [], env())).builds).toBe(0);
  });

  it('points stack traces at the TypeScript lines, and an uncaught error exits 1 as under node', async () => {
    const thrown = await launch(entry, ['--throw'], env());
    expect(thrown.code).toBe(1);
    expect(thrown.stderr).toContain('main threw on purpose');
    expect(thrown.stderr).toContain(`${entry}:${lineOf(MAIN, "'main threw on purpose'")}:`);
    const inDep = await launch(entry, ['--dep-throw'], env());
    expect(inDep.code).toBe(1);
    const depFile = path.join(dir, 'src', 'dep.ts');
    expect(inDep.stderr).toContain(`${depFile}:${lineOf(dep('x'), 'dep threw on purpose')}:`);
  });

  it('says LAB_BUILD_FAILED with the file, line and fix when the program does not build', async () => {
    const broken = path.join(dir, 'src', 'broken.ts');
    await writeFile(broken, "import { missing } from './not-there.ts';\nconsole.log(missing);\n");
    const failed = await launch(broken, [], env());
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^LAB_BUILD_FAILED: could not bundle .*broken\.ts:$/m);
    expect(failed.stderr).toMatch(/broken\.ts:1:25: Could not resolve "\.\/not-there\.ts"/);
    expect(failed.stderr).toContain('Fix the error above');
    expect(failed.stdout).toBe('');

    await writeFile(path.join(dir, 'src', 'not-there.ts'), "export const missing = 'found';\n");
    const fixed = await launch(broken, [], env());
    expect([fixed.code, fixed.builds, fixed.stdout.trim()]).toEqual([0, 1, 'found']);
  });

  it("turns off the AWS SDK's Node-version notice for every program it runs", async () => {
    const out = await launch(entry, [], {
      ...env(),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
    });
    expect(parse(out.stdout)['sdkNotice']).toBe('true');
  });

  it('refuses an entry that does not exist with a coded message', async () => {
    const out = await launch(path.join(dir, 'src', 'nope.ts'), [], env());
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^LAB_USAGE: .*nope\.ts does not exist\./);
  });

  it('lets launches that start together all run a whole bundle', async () => {
    const fresh = { LAB_BUILD_DIR: path.join(dir, 'build-concurrent') };
    const runs = await Promise.all([1, 2, 3, 4].map((n) => launch(entry, ['--exit', String(n)], fresh)));
    expect(runs.map((r) => r.code)).toEqual([1, 2, 3, 4]);
    for (const r of runs) expect(parse(r.stdout)['file']).toBe(entry);
    const files = await readdir(fresh.LAB_BUILD_DIR);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.mjs'))).toHaveLength(1);
  });

  it('runs the TypeScript through tsx, without a bundle, when LAB_NO_BUNDLE=1', async () => {
    const noBundle = { LAB_BUILD_DIR: path.join(dir, 'build-none'), LAB_NO_BUNDLE: '1' };
    const out = await launch(entry, ['--exit', '4'], noBundle);
    expect([out.code, out.builds]).toEqual([4, 0]);
    expect(parse(out.stdout)['file']).toBe(entry);
    await expect(readdir(noBundle.LAB_BUILD_DIR)).rejects.toThrow(/ENOENT/);
  });

  it('keeps the stamp it checks beside the bundle, naming every watched file', async () => {
    await launch(entry, [], env());
    const names = await readdir(buildDir);
    const stampName = names.find((n) => n.endsWith('-main.stamp.json'));
    expect(stampName).toBeDefined();
    const stamp = JSON.parse(await readFile(path.join(buildDir, stampName!), 'utf8')) as {
      files: Array<[string, string]>;
    };
    const watched = stamp.files.map(([file]) => file);
    expect(watched).toContain(entry);
    expect(watched).toContain(path.join(dir, 'src', 'dep.ts'));
    expect(watched).toContain(path.join(dir, 'node_modules', 'fake-pkg', 'package.json'));
    expect(watched).not.toContain(path.join(dir, 'node_modules', 'fake-pkg', 'index.js'));
  });
});
