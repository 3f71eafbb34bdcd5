#!/usr/bin/env tsx
// `npm run lab:build`: copies the reference code into LAB.md, so the lesson never drifts from solution/.
// Between `<!-- include: <path> -->` and `<!-- /include -->` it writes the file as a fenced block.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const usage = `Usage: npm run lab:build -- [--check] [--file LAB.md] [--root DIR]

Rewrites every "<!-- include: PATH -->" … "<!-- /include -->" block of LAB.md with the current
content of PATH (relative to the repository root), as a fenced code block. "PATH#ID" takes only
the lines between the "LAB(ID)" and "END LAB" comments of that file.
  --check       change nothing; exit 1 when LAB.md is out of date
  --file F      the Markdown file to update                  default LAB.md
  --root DIR    where include paths start                    default the repository root`;

/** One include block: the opening marker (group 1 = path), the generated text, the closing marker. */
const BLOCK = /^<!-- include: (\S+) -->\n[\s\S]*?^<!-- \/include -->$/gm;
const OPENING = /^<!-- include: .*-->$/gm;

const LANGUAGES: Record<string, string> = {
  '.ts': 'ts',
  '.js': 'js',
  '.mjs': 'js',
  '.json': 'json',
  '.html': 'html',
};

export class IncludeError extends Error {
  constructor(
    readonly code: 'LAB_MD_INCLUDE_MISSING' | 'LAB_MD_INCLUDE_MALFORMED',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'IncludeError';
  }
}

/** A fence longer than any run of backticks in the content, so the code can never close it early. */
function fenceFor(content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * The lines strictly between `LAB(<id>)` and the next `END LAB` comment (the part `lab/` leaves to
 * the student), without their common indentation.
 */
export function labRegion(content: string, id: string, where: string): string {
  const lines = content.split('\n');
  const start = lines.findIndex((line) => line.trim().endsWith(`LAB(${id})`));
  const end = lines.findIndex((line, i) => i > start && /^\s*(\/\/|#|<!--)\s*END LAB\b/.test(line));
  if (start < 0 || end < 0) {
    throw new IncludeError('LAB_MD_INCLUDE_MISSING', `${where} has no "LAB(${id})" … "END LAB" region.`);
  }
  const region = lines.slice(start + 1, end);
  const indent = Math.min(
    ...region.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0),
  );
  return region.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/** The text between the markers: the file's path as a caption, then the file (or its region) in a fence. */
export function renderBlock(target: string, content: string): string {
  const [file = target, region] = target.split('#');
  const fence = fenceFor(content);
  const language = LANGUAGES[path.extname(file)] ?? '';
  const body = content.endsWith('\n') ? content : `${content}\n`;
  const caption = region ? `\`${file}\`, the part marked \`LAB(${region})\`` : `\`${file}\``;
  return `<!-- include: ${target} -->\n${caption}\n\n${fence}${language}\n${body}${fence}\n<!-- /include -->`;
}

/** Reads an include target (`path` or `path#region`) under `root`; refuses anything that would leave it. */
function readInclude(root: string, target: string): string {
  const [includePath = target, region] = target.split('#');
  const full = path.resolve(root, includePath);
  if (path.isAbsolute(includePath) || !full.startsWith(path.resolve(root) + path.sep)) {
    throw new IncludeError(
      'LAB_MD_INCLUDE_MALFORMED',
      `include path "${includePath}" must be relative and inside the repository.`,
    );
  }
  if (!existsSync(full)) {
    throw new IncludeError(
      'LAB_MD_INCLUDE_MISSING',
      `${includePath} does not exist. Fix the path in its "<!-- include: … -->" marker, or remove the block.`,
    );
  }
  const content = readFileSync(full, 'utf8');
  return region === undefined ? content : labRegion(content, region, includePath);
}

/** The Markdown with every include block regenerated from the files under `root`. */
export function renderIncludes(markdown: string, root: string): string {
  const openings = markdown.match(OPENING)?.length ?? 0;
  const blocks = markdown.match(BLOCK)?.length ?? 0;
  if (openings !== blocks) {
    throw new IncludeError(
      'LAB_MD_INCLUDE_MALFORMED',
      `${openings} "<!-- include: PATH -->" markers but ${blocks} complete blocks: every marker needs its own "<!-- /include -->" line.`,
    );
  }
  return markdown.replace(BLOCK, (_block, includePath: string) =>
    renderBlock(includePath, readInclude(root, includePath)),
  );
}

/** The include paths named in the Markdown, in order. */
export function includedPaths(markdown: string): string[] {
  return [...markdown.matchAll(BLOCK)].map((match) => match[1] ?? '');
}

export interface BuildResult {
  file: string;
  changed: boolean;
  includes: string[];
}

/** Regenerates `file`; with `check`, only reports whether it would change. */
export function buildLabMd(options: { file: string; root: string; check: boolean }): BuildResult {
  const before = readFileSync(options.file, 'utf8');
  const after = renderIncludes(before, options.root);
  const changed = after !== before;
  if (changed && !options.check) writeFileSync(options.file, after);
  return { file: options.file, changed, includes: includedPaths(after) };
}

function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        check: { type: 'boolean', default: false },
        file: { type: 'string' },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    console.error(`LAB_USAGE: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const root = path.resolve(args.root ?? REPO_ROOT);
  const file = path.resolve(args.file ?? path.join(root, 'LAB.md'));
  try {
    const result = buildLabMd({ file, root, check: args.check });
    const name = path.relative(process.cwd(), file) || file;
    if (args.check && result.changed) {
      console.error(
        `LAB_MD_STALE: ${name} no longer matches the files it includes. Run "npm run lab:build" and commit.`,
      );
      return 1;
    }
    const verb = result.changed ? 'updated' : 'up to date';
    console.error(`${name}: ${verb} (${result.includes.length} included files)`);
    return 0;
  } catch (err) {
    if (err instanceof IncludeError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
