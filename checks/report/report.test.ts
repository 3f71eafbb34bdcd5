import { describe, expect, it } from 'vitest';
import type { LabOutputs } from '../lib/outputs.ts';
import type { RowResult, RunEvent } from '../types.ts';
import { toJson } from './json.ts';
import { toJunit } from './junit.ts';
import { plainReporter } from './plain.ts';
import { createScreen, type ScreenStream } from './screen.ts';
import { ttyReporter } from './tty.ts';

const target = {
  apiId: 'a1b2',
  bucket: 'lab-bucket',
  region: 'us-east-1',
  endpoint: 'http://localhost:4566',
} as LabOutputs;

const results: RowResult[] = [
  {
    id: 'api-cors',
    title: 'Frontend can call POST /upload-url',
    step: 'Update API Gateway CORS',
    status: 'pass',
    detail: 'ok',
    evidence: { a: 1 },
    startMs: 5,
    durationMs: 120,
  },
  {
    id: 'bucket-cors',
    title: 'Browser can POST directly to S3',
    step: 'Update S3 bucket CORS',
    status: 'fail',
    detail: 'The CORS rule for http://localhost:5173 allows [GET], not POST.',
    hintId: 'bucket-cors.no-post',
    hint: 'Add `POST` to that rule\'s AllowedMethods & <try> "quotes".',
    evidence: {},
    startMs: 5,
    durationMs: 1500,
  },
  {
    id: 'browser-upload',
    title: 'S3 accepts the direct browser upload',
    step: 'Upload file',
    status: 'skip',
    detail: 'needs bucket-cors failed',
    evidence: {},
    startMs: 0,
    durationMs: 0,
  },
  {
    id: 'dashboard',
    title: 'New file appears',
    step: 'Refresh dashboard',
    status: 'error',
    detail: 'TypeError: x\u0001',
    evidence: {},
    startMs: 0,
    durationMs: 3,
  },
];
const summary = { passed: 1, failed: 2, skipped: 1, durationMs: 2100 };

function events(): RunEvent[] {
  return [
    { type: 'run-start', rows: results.map(({ id, title, step }) => ({ id, title, step })), target },
    ...results.flatMap((r): RunEvent[] => [
      { type: 'row-start', id: r.id },
      { type: 'row-end', result: r },
    ]),
    { type: 'run-end', results, summary },
  ];
}

function capture(isTTY: boolean, env: NodeJS.ProcessEnv = {}) {
  let out = '';
  const stream: ScreenStream = { isTTY, columns: 100, write: (t: string) => (out += t) };
  return { screen: createScreen(stream, env), text: () => out };
}

describe('screen', () => {
  it('uses colour and in-place updates on a terminal, and respects NO_COLOR and CI', () => {
    expect(capture(true, { TERM: 'xterm' }).screen).toMatchObject({ live: true, color: true });
    expect(capture(true, { TERM: 'xterm', NO_COLOR: '1' }).screen).toMatchObject({
      live: true,
      color: false,
    });
    expect(capture(true, { TERM: 'xterm', CI: 'true' }).screen).toMatchObject({ live: false });
    expect(capture(false).screen).toMatchObject({ live: false, color: false });
    expect(capture(false, { FORCE_COLOR: '1' }).screen.color).toBe(true);
  });
});

describe('plain reporter', () => {
  it('writes one line per row, the fix under a failure, and ends with the summary line', () => {
    const { screen, text } = capture(false);
    const r = plainReporter(screen);
    events().forEach((e) => r.onEvent(e));
    const out = text();
    expect(out).not.toContain('\x1b');
    expect(out).toContain('PASS  api-cors — Frontend can call POST /upload-url (120 ms)');
    expect(out).toContain('FAIL  bucket-cors — Browser can POST directly to S3 (1.5 s)');
    expect(out).toContain("Fix: Add `POST` to that rule's AllowedMethods");
    expect(out).toContain('(bucket-cors.no-post)');
    expect(out).toContain('SKIP  browser-upload');
    expect(out).toContain('needs bucket-cors failed');
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 passed, 2 failed, 1 skipped');
  });
});

describe('tty reporter', () => {
  it('draws a line per row, redraws in place, then the table and the summary line', () => {
    const { screen, text } = capture(true, { TERM: 'xterm', NO_COLOR: '1' });
    const r = ttyReporter(screen);
    events().forEach((e) => r.onEvent(e));
    r.close();
    const out = text();
    expect(out).toContain('\x1b[4A'); // back up over the four row lines
    expect(out).toContain('\r\x1b[2K');
    expect(out).toMatch(/PASS {2}api-cors {8}Frontend can call POST \/upload-url 120 ms/);
    expect(out).toContain('Fix: ');
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 passed, 2 failed, 1 skipped');
  });
});

describe('json', () => {
  it('gives status, detail, hint id and text, evidence and timings per row', () => {
    const json = toJson({ results, summary, target });
    expect(json.summary).toEqual(summary);
    expect(json.rows[1]).toEqual({
      id: 'bucket-cors',
      title: 'Browser can POST directly to S3',
      step: 'Update S3 bucket CORS',
      status: 'fail',
      detail: 'The CORS rule for http://localhost:5173 allows [GET], not POST.',
      hint: { id: 'bucket-cors.no-post', text: results[1]?.hint },
      evidence: {},
      timings: { startMs: 5, durationMs: 1500 },
      tries: { count: 1, earlier: [] },
    });
    expect(json.rows[0]?.hint).toBeNull();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('junit', () => {
  it('has a testcase per row: failure with the hint id, skipped, error; escaped', () => {
    const xml = toJunit({ results, summary }, new Date('2026-01-01T00:00:00Z'));
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="presigned-upload-lab" tests="4" failures="1" errors="1" skipped="1" time="2.100">/,
    );
    expect(xml).toContain(
      '<testcase name="api-cors: Frontend can call POST /upload-url" classname="presigned-upload-lab.Update API Gateway CORS" time="0.120"/>',
    );
    expect(xml).toContain(
      '<failure message="The CORS rule for http://localhost:5173 allows [GET], not POST." type="bucket-cors.no-post">',
    );
    expect(xml).toContain('AllowedMethods &amp; &lt;try&gt; &quot;quotes&quot;.');
    expect(xml).toContain('<skipped message="needs bucket-cors failed"/>');
    expect(xml).toContain('<error message="TypeError: x" type="error">');
    expect(xml).not.toContain('\u0001');
  });
});

describe('re-checks (a failure AWS may still be applying)', () => {
  const rechecked: RowResult = {
    ...results[0]!,
    tries: {
      count: 3,
      earlier: [
        { atMs: 40, detail: 'The preflight answered 404 & <no> headers.' },
        { atMs: 1100, detail: 'again' },
      ],
    },
  };
  const retry: RunEvent = {
    type: 'row-retry',
    id: 'api-cors',
    attempt: 1,
    delayMs: 1000,
    waitedMs: 3000,
    limitMs: 20_000,
    detail: 'The preflight answered 404.',
  };

  it('says on screen that it checks again, how long so far and up to when', () => {
    const { screen, text } = capture(false);
    const reporter = plainReporter(screen);
    reporter.onEvent(retry);
    expect(text()).toContain(
      'api-cors: AWS may still be applying a recent change — checking again (3 s / up to 20 s)',
    );
    const tty = capture(true, { NO_COLOR: '1' });
    const live = ttyReporter(tty.screen);
    live.onEvent(events()[0]!);
    live.onEvent({ type: 'row-start', id: 'api-cors' });
    live.onEvent(retry);
    live.close();
    expect(tty.text()).toContain('AWS may still be applying a change — checking again (3 s / up to 20 s)');
  });

  it('shows the tries in JSON and JUnit', () => {
    const json = toJson({ results: [rechecked], summary, target });
    expect(json.rows[0]?.tries).toEqual(rechecked.tries);
    const xml = toJunit({ results: [rechecked], summary });
    expect(xml).toContain('<properties><property name="tries" value="3"/></properties>');
    expect(xml).toContain('try at 40 ms: The preflight answered 404 &amp; &lt;no&gt; headers.');
  });
});
