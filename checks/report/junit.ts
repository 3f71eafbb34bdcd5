import type { RowResult, RunSummary } from '../types.ts';

const SUITE = 'presigned-upload-lab';

function esc(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 cannot carry most control characters, even escaped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '')
  );
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** JUnit XML for CI and grading: one testcase per row; a failure carries the hint id as its type. */
export function toJunit(
  report: { results: readonly RowResult[]; summary: RunSummary },
  timestamp = new Date(),
): string {
  const { results, summary } = report;
  const failures = results.filter((r) => r.status === 'fail').length;
  const errors = results.filter((r) => r.status === 'error').length;
  const cases = results.map((r) => {
    const open = `    <testcase name="${esc(`${r.id}: ${r.title}`)}" classname="${esc(`${SUITE}.${r.step}`)}" time="${seconds(r.durationMs)}"`;
    const body = `${r.detail}${r.hint ? `\n\nFix: ${r.hint}` : ''}`;
    // A row checked again (AWS may have been applying a change) says how often, and what each try saw.
    const tries = r.tries
      ? `\n      <properties><property name="tries" value="${r.tries.count}"/></properties>` +
        `\n      <system-out>${esc(r.tries.earlier.map((t) => `try at ${t.atMs} ms: ${t.detail}`).join('\n'))}</system-out>`
      : '';
    if (r.status === 'pass') return tries ? `${open}>${tries}\n    </testcase>` : `${open}/>`;
    if (r.status === 'skip') return `${open}>\n      <skipped message="${esc(r.detail)}"/>\n    </testcase>`;
    const tag = r.status === 'fail' ? 'failure' : 'error';
    const type = r.hintId ?? (r.status === 'fail' ? 'failure' : 'error');
    return `${open}>${tries}\n      <${tag} message="${esc(r.detail)}" type="${esc(type)}">${esc(body)}</${tag}>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${SUITE}" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${summary.skipped}" time="${seconds(summary.durationMs)}">`,
    `  <testsuite name="${SUITE}" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${summary.skipped}" time="${seconds(summary.durationMs)}" timestamp="${timestamp.toISOString()}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
