/**
 * lab/ is solution/ with gaps. This suite proves it file for file:
 *
 * - Mirrored trees: `functions/`, `frontend/`, `policies/`. Solution-only: tests (`*.test.ts`) and
 *   `test-support/` folders. Every other file exists on both sides.
 * - Text files: a gap is a block of whole lines, in lab from a comment line `TODO(<check-id>)` to a
 *   comment line `END TODO`, in solution from `LAB(<check-id>)` to `END LAB`. The comment may start
 *   with `//`, `/*` or `<!--`. Outside the gaps both files are identical; the gaps come in the same
 *   order with the same check ids.
 * - JSON files: compared as data. An object in lab holding a `"TODO(<check-id>)": "<guidance>"` key is
 *   a gap: its other keys are the solution's keys, each value either equal to the solution's or a
 *   placeholder for it (`""`, `{}`, or a list whose items all appear in the solution's list).
 *   Solution JSON carries no markers (the deploy reads it as it is).
 * - Check ids are the checklist rows of DESIGN.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROW_IDS } from '../checks/row-ids.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MIRRORED = ['functions', 'frontend', 'policies'];
const CHECK_IDS = new Set<string>(ROW_IDS);
const COMMENT = String.raw`^\s*(?:\/\/|\/\*|<!--)\s*`;
const MARKERS = {
  lab: { start: new RegExp(`${COMMENT}TODO\\(([^)]*)\\)`), end: new RegExp(`${COMMENT}END TODO\\b`) },
  solution: { start: new RegExp(`${COMMENT}LAB\\(([^)]*)\\)`), end: new RegExp(`${COMMENT}END LAB\\b`) },
};
const TODO_KEY = /^TODO\(([^)]*)\)$/;

type Side = keyof typeof MARKERS;
interface Split {
  outside: string[][];
  gaps: string[];
  problems: string[];
}

/** Cuts a text into the runs of lines outside gaps and the ids of the gaps between them. */
function split(text: string, side: Side): Split {
  const { start, end } = MARKERS[side];
  const result: Split = { outside: [[]], gaps: [], problems: [] };
  let open: { id: string; line: number } | undefined;
  text.split('\n').forEach((line, index) => {
    const startMatch = start.exec(line);
    if (startMatch) {
      if (open) result.problems.push(`line ${index + 1}: a gap opens inside the gap from line ${open.line}`);
      open = { id: startMatch[1] ?? '', line: index + 1 };
      if (!CHECK_IDS.has(open.id)) result.problems.push(`line ${index + 1}: "${open.id}" is not a check id`);
      result.gaps.push(open.id);
    } else if (end.test(line)) {
      if (!open) result.problems.push(`line ${index + 1}: a gap closes that never opened`);
      open = undefined;
      result.outside.push([]);
    } else if (!open) {
      result.outside.at(-1)?.push(line);
    }
  });
  if (open) result.problems.push(`line ${open.line}: the gap ${open.id} never closes`);
  return result;
}

/** Problems that make a lab text file more than its solution with gaps; none means a true mirror. */
export function compareText(lab: string, solution: string): string[] {
  const l = split(lab, 'lab');
  const s = split(solution, 'solution');
  const problems = [...l.problems.map((p) => `lab ${p}`), ...s.problems.map((p) => `solution ${p}`)];
  if (problems.length > 0) return problems;
  if (l.gaps.join() !== s.gaps.join()) {
    return [`gaps differ: lab has [${l.gaps.join(', ')}], solution has [${s.gaps.join(', ')}]`];
  }
  l.outside.forEach((run, i) => {
    const other = s.outside[i] ?? [];
    const at = run.findIndex((line, j) => line !== other[j]);
    if (at !== -1 || run.length !== other.length) {
      const where = i === 0 ? 'before the first gap' : `after gap ${i} (${l.gaps[i - 1]})`;
      problems.push(
        `differs outside the gaps, ${where}: lab "${run[at] ?? ''}" vs solution "${other[at] ?? ''}"`,
      );
    }
  });
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlaceholder(lab: unknown, solution: unknown): boolean {
  if (Array.isArray(lab) && Array.isArray(solution)) {
    return lab.every((item) => solution.some((other) => isDeepStrictEqual(item, other)));
  }
  if (isObject(lab) && isObject(solution)) return Object.keys(lab).length === 0;
  return lab === '' && typeof solution === 'string';
}

/** The JSON counterpart of `compareText`. */
export function compareJson(lab: unknown, solution: unknown, path = '$'): string[] {
  if (Array.isArray(lab) && Array.isArray(solution)) {
    if (lab.length !== solution.length)
      return [`${path}: ${lab.length} items in lab, ${solution.length} in solution`];
    return lab.flatMap((item, i) => compareJson(item, solution[i], `${path}[${i}]`));
  }
  if (!isObject(lab) || !isObject(solution)) {
    return isDeepStrictEqual(lab, solution)
      ? []
      : [`${path}: lab ${JSON.stringify(lab)} vs ${JSON.stringify(solution)}`];
  }
  const problems: string[] = [];
  const todos = Object.keys(lab).filter((key) => TODO_KEY.test(key));
  for (const key of todos) {
    const id = TODO_KEY.exec(key)?.[1] ?? '';
    if (!CHECK_IDS.has(id)) problems.push(`${path}: "${id}" is not a check id`);
    if (typeof lab[key] !== 'string' || lab[key] === '')
      problems.push(`${path}: "${key}" needs guidance text`);
  }
  for (const key of Object.keys(solution).filter((k) => TODO_KEY.test(k))) {
    problems.push(`${path}: solution JSON must not carry "${key}"`);
  }
  const labKeys = Object.keys(lab).filter((key) => !TODO_KEY.test(key));
  const missing = Object.keys(solution).filter((key) => !labKeys.includes(key));
  const extra = labKeys.filter((key) => !(key in solution));
  if (missing.length + extra.length > 0) {
    problems.push(
      `${path}: keys differ (lab lacks [${missing.join(', ')}], has extra [${extra.join(', ')}])`,
    );
  }
  for (const key of labKeys.filter((k) => k in solution)) {
    const [l, s, at] = [lab[key], solution[key], `${path}.${key}`];
    if (todos.length === 0) problems.push(...compareJson(l, s, at));
    else if (!isDeepStrictEqual(l, s) && !isPlaceholder(l, s)) {
      problems.push(
        `${at}: in a gap, lab ${JSON.stringify(l)} is neither the solution's value nor a placeholder`,
      );
    }
  }
  return problems;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

const solutionOnly = (path: string) => path.endsWith('.test.ts') || path.split('/').includes('test-support');
const listing = (side: string) =>
  MIRRORED.flatMap((tree) => filesUnder(join(ROOT, side, tree)).map((path) => `${tree}/${path}`));
const read = (side: string, path: string) => readFileSync(join(ROOT, side, path), 'utf8');

describe('lab/ mirrors solution/', () => {
  const solutionFiles = listing('solution').filter((path) => !solutionOnly(path));
  const labFiles = listing('lab');

  it('has the same files (tests and test-support are solution-only)', () => {
    expect(labFiles).toEqual(solutionFiles);
    expect(labFiles.filter(solutionOnly)).toEqual([]);
  });

  it.each(solutionFiles.filter((path) => labFiles.includes(path)))('%s differs only in gaps', (path) => {
    const [lab, solution] = [read('lab', path), read('solution', path)];
    const problems = path.endsWith('.json')
      ? compareJson(JSON.parse(lab), JSON.parse(solution))
      : compareText(lab, solution);
    expect(problems).toEqual([]);
  });

  it('leaves a gap for every step the student codes', () => {
    const ids = labFiles.flatMap((path) => {
      const text = read('lab', path);
      return [...text.matchAll(/TODO\(([a-z-]+)\)/g)].map((match) => match[1]);
    });
    expect(new Set(ids)).toEqual(
      new Set(['ticket-function', 'put-permission', 'api-cors', 'bucket-cors', 'browser-upload']),
    );
  });

  it('imports nothing from emulator/ or checks/ (tests aside)', () => {
    const offenders = ['lab', 'solution'].flatMap((side) =>
      listing(side)
        .filter((path) => !solutionOnly(path) && /\.(ts|js)$/.test(path))
        .filter((path) => /from\s+['"][./]*(emulator|checks)\//.test(read(side, path)))
        .map((path) => `${side}/${path}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('the mirror comparer itself', () => {
  const solution = ['a', '// LAB(ticket-function)', 'real();', '// END LAB', 'b'].join('\n');
  const lab = ['a', '// TODO(ticket-function): do it', 'stub();', '// END TODO', 'b'].join('\n');

  it('accepts a pair that differs only inside a gap', () => {
    expect(compareText(lab, solution)).toEqual([]);
    expect(
      compareText(
        '<!-- TODO(api-cors) -->\nx\n<!-- END TODO -->',
        '<!-- LAB(api-cors) -->\ny\n<!-- END LAB -->',
      ),
    ).toEqual([]);
  });

  it.each([
    ['an edit outside the gaps', lab.replace(/b$/, 'B'), solution],
    ['an edit before the first gap', lab.replace('a', 'a2'), solution],
    ['a line added after the last gap', `${lab}\nc`, solution],
    ['a different check id', lab.replace('TODO(ticket-function)', 'TODO(bucket-cors)'), solution],
    [
      'an unknown check id',
      lab.replace('ticket-function', 'nope'),
      solution.replace('ticket-function', 'nope'),
    ],
    ['a gap that never closes', lab.replace('// END TODO', ''), solution],
    ['a solution gap the lab lacks', 'a\nreal();\nb', solution],
    ['a lab gap the solution lacks', lab, 'a\nreal();\nb'],
    ['nested gaps', lab.replace('stub();', '// TODO(api-cors)'), solution],
  ])('refuses %s', (_name, l, s) => {
    expect(compareText(l, s)).not.toEqual([]);
  });

  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject' }] };

  it('accepts JSON gaps with placeholders', () => {
    expect(
      compareJson({ 'TODO(put-permission)': 'add it', Version: '2012-10-17', Statement: [] }, policy),
    ).toEqual([]);
    expect(
      compareJson(
        { 'TODO(api-cors)': 'x', A: ['GET'], B: '', C: {} },
        { A: ['GET', 'POST'], B: 'b', C: { d: 1 } },
      ),
    ).toEqual([]);
  });

  it.each([
    ['a changed value outside a gap', { ...policy, Version: '2008-10-17' }],
    ['a changed value inside a gap', { 'TODO(put-permission)': 'x', Version: '2008-10-17', Statement: [] }],
    [
      'a list item the solution lacks',
      { 'TODO(put-permission)': 'x', Version: '2012-10-17', Statement: [{}] },
    ],
    ['a missing key', { 'TODO(put-permission)': 'x', Statement: [] }],
    ['an extra key', { 'TODO(put-permission)': 'x', ...policy, Id: 'extra' }],
    ['an unknown check id', { 'TODO(nope)': 'x', ...policy }],
    ['a TODO without guidance', { 'TODO(put-permission)': '', ...policy }],
  ])('refuses JSON with %s', (_name, lab) => {
    expect(compareJson(lab, policy)).not.toEqual([]);
  });

  it('refuses a marker in solution JSON', () => {
    expect(compareJson(policy, { 'TODO(put-permission)': 'x', ...policy })).not.toEqual([]);
  });
});
