import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { includedPaths, renderBlock, renderIncludes } from './build-lab-md.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = path.join(ROOT, 'scripts', 'build-lab-md.ts');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

/** Runs the CLI; resolves with its exit code and stderr instead of throwing on a non-zero exit. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(TSX, [SCRIPT, ...args], { cwd: ROOT });
    return { code: 0, stderr };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: e.code ?? -1, stderr: e.stderr ?? '' };
  }
}

describe('LAB.md', () => {
  it('shows the reference upload-ticket code exactly as it is in solution/', async () => {
    const lab = await readFile(path.join(ROOT, 'LAB.md'), 'utf8');
    expect(includedPaths(lab)).toEqual(
      expect.arrayContaining([
        'solution/functions/upload-ticket/handler.ts',
        'solution/functions/upload-ticket/ticket.ts',
        'solution/functions/upload-ticket/presign.ts',
        'solution/functions/upload-ticket/config.ts',
      ]),
    );
    // When this fails, solution/ changed after LAB.md was built: run `npm run lab:build` and commit.
    expect(renderIncludes(lab, ROOT), 'LAB.md is stale: run "npm run lab:build"').toBe(lab);
  });
});

describe('the include mechanism', () => {
  let dir: string;
  const opening = '<!-- include: src/code.ts -->';
  const closing = '<!-- /include -->';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lab-md-'));
    await mkdir(path.join(dir, 'src'));
    await writeFile(path.join(dir, 'src', 'code.ts'), 'export const answer = 42;\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces what is between the markers and keeps the text around them', () => {
    const md = `# Title\n\nBefore.\n\n${opening}\nold text\n${closing}\n\nAfter.\n`;
    const out = renderIncludes(md, dir);
    expect(out).toBe(
      `# Title\n\nBefore.\n\n${opening}\n\`src/code.ts\`\n\n\`\`\`ts\nexport const answer = 42;\n\`\`\`\n${closing}\n\nAfter.\n`,
    );
    expect(renderIncludes(out, dir)).toBe(out);
  });

  it('takes only the LAB(id) region with PATH#ID, without its indentation', async () => {
    const source = 'function f() {\n  // LAB(demo)\n  const a = 1;\n    return a;\n  // END LAB\n}\n';
    await writeFile(path.join(dir, 'src', 'region.js'), source);
    const out = renderIncludes(`<!-- include: src/region.js#demo -->\n${closing}\n`, dir);
    expect(out).toContain('```js\nconst a = 1;\n  return a;\n```');
    expect(out).not.toContain('function f');
    expect(() => renderIncludes(`<!-- include: src/region.js#other -->\n${closing}\n`, dir)).toThrow(
      /LAB_MD_INCLUDE_MISSING: .*LAB\(other\)/,
    );
  });

  it('uses a fence longer than any backtick run in the file', () => {
    const block = renderBlock('a.md', 'text with ```` inside');
    expect(block).toContain('\n`````\ntext with ```` inside\n`````\n');
  });

  it('refuses a marker without its closing line, a missing file and a path outside the root', () => {
    expect(() => renderIncludes(`${opening}\nno end\n`, dir)).toThrow(/LAB_MD_INCLUDE_MALFORMED/);
    expect(() => renderIncludes(`<!-- include: src/none.ts -->\n${closing}\n`, dir)).toThrow(
      /LAB_MD_INCLUDE_MISSING: src\/none\.ts/,
    );
    expect(() => renderIncludes(`<!-- include: ../etc/passwd -->\n${closing}\n`, dir)).toThrow(
      /LAB_MD_INCLUDE_MALFORMED/,
    );
  });

  it('--check exits 1 on a stale file and changes nothing; a build fixes it; --check then passes', async () => {
    const file = path.join(dir, 'LESSON.md');
    const stale = `Intro\n\n${opening}\nan old copy of the code\n${closing}\n`;
    await writeFile(file, stale);

    const check = await cli(['--check', '--file', file, '--root', dir]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/LAB_MD_STALE/);
    expect(await readFile(file, 'utf8')).toBe(stale);

    expect((await cli(['--file', file, '--root', dir])).code).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('export const answer = 42;');
    expect((await cli(['--check', '--file', file, '--root', dir])).code).toBe(0);

    await writeFile(path.join(dir, 'src', 'code.ts'), 'export const answer = 43;\n');
    expect((await cli(['--check', '--file', file, '--root', dir])).code).toBe(1);
  });
});
