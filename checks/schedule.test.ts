import { describe, expect, it } from 'vitest';
import { CheckFailure } from './check-failure.ts';
import type { CheckContext } from './context.ts';
import { hint } from './hints.ts';
import { BROWSER_ROWS, ROW_IDS, wantsBrowser } from './row-ids.ts';
import { rows } from './rows/index.ts';
import { runRows, selectRows } from './schedule.ts';
import type { Check, RunEvent } from './types.ts';

const ctx = {} as CheckContext;

function row(id: string, needs: string[], run: Check['run'], extra: Partial<Check> = {}): Check {
  return { id, title: `title of ${id}`, step: `step ${id}`, needs, run, ...extra };
}

async function run(
  checks: Check[],
  options: { timeoutMs?: number; skip?: (c: Check) => string | undefined; waitMs?: number } = {},
) {
  const events: RunEvent[] = [];
  const results = await runRows(checks, ctx, {
    timeoutMs: options.timeoutMs ?? 5000,
    emit: (e) => events.push(e),
    clock: () => 0,
    ...(options.skip ? { skipReason: options.skip } : {}),
    ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
  });
  return { results, events };
}

describe('runRows', () => {
  it('starts independent rows together, and a dependent row only after its needs', async () => {
    let releaseA!: () => void;
    const aGate = new Promise<void>((r) => (releaseA = r));
    const started: string[] = [];
    const checks = [
      row('a', [], async () => {
        started.push('a');
        await aGate;
        return {};
      }),
      row('b', [], async () => {
        started.push('b');
        // b finishing lets a finish: if b waited for a, this would never end.
        releaseA();
        return {};
      }),
      row('c', ['a', 'b'], async () => {
        started.push('c');
        return { summary: 'c is fine' };
      }),
    ];
    const { results, events } = await run(checks);
    expect(started).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => [r.id, r.status, r.detail])).toEqual([
      ['a', 'pass', 'ok'],
      ['b', 'pass', 'ok'],
      ['c', 'pass', 'c is fine'],
    ]);
    const order = events.map((e) =>
      e.type === 'row-end' ? `end:${e.result.id}` : e.type === 'row-start' ? `start:${e.id}` : e.type,
    );
    expect(order.indexOf('start:c')).toBeGreaterThan(order.indexOf('end:a'));
    expect(order.indexOf('start:b')).toBeLessThan(order.indexOf('end:a'));
  });

  it('fails with the hint, errors on anything else, and skips what depends on them with the reason', async () => {
    const checks = [
      row('cors', [], async () => {
        throw new CheckFailure('no POST', {
          hint: hint('api-cors.method-missing', { allowed: ['GET'] }),
          evidence: { seen: 1 },
        });
      }),
      row('boom', [], async () => {
        throw new TypeError('kaput');
      }),
      row('upload', ['cors'], async () => ({})),
      row('dash', ['upload', 'boom'], async () => ({})),
    ];
    const { results } = await run(checks);
    const [cors, boom, upload, dash] = results;
    expect(cors).toMatchObject({
      status: 'fail',
      detail: 'no POST',
      hintId: 'api-cors.method-missing',
      evidence: { seen: 1 },
    });
    expect(cors?.hint).toContain('Add `POST`');
    expect(boom).toMatchObject({ status: 'error', detail: 'TypeError: kaput' });
    expect(upload).toMatchObject({ status: 'skip', detail: 'needs cors failed' });
    expect(dash).toMatchObject({ status: 'skip', detail: 'needs upload was skipped and boom errored' });
  });

  it('turns a row that overruns its timeout into an error', async () => {
    const { results } = await run([row('slow', [], () => new Promise(() => undefined))], { timeoutMs: 30 });
    expect(results[0]).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/^timed out after 0 s/),
    });
  });

  it('skips a row for a reason given before it runs, without running it', async () => {
    let ran = false;
    const checks = [
      row(
        'page',
        [],
        async () => {
          ran = true;
          return {};
        },
        { browser: true },
      ),
    ];
    const { results } = await run(checks, { skip: (c) => (c.browser ? 'no Chromium' : undefined) });
    expect(ran).toBe(false);
    expect(results[0]).toMatchObject({ status: 'skip', detail: 'no Chromium' });
  });
});

describe('selectRows', () => {
  it('adds the rows a selected row needs, transitively, in lab order', () => {
    expect(selectRows(rows, ['dashboard']).map((r) => r.id)).toEqual([
      'api-cors',
      'bucket-cors',
      'ticket-function',
      'put-permission',
      'upload-route',
      'browser-upload',
      'dashboard',
    ]);
    expect(selectRows(rows, ['bucket-private']).map((r) => r.id)).toEqual(['bucket-private']);
    expect(selectRows(rows, undefined)).toHaveLength(rows.length);
  });

  it('names the rows when given an unknown one', () => {
    expect(() => selectRows(rows, ['api-cor'])).toThrow(
      /^LAB_USAGE: unknown row "api-cor". Rows: api-cors, bucket-cors/,
    );
  });
});

describe('the checklist', () => {
  it('lists the rows in lab order, each needing only rows listed before it', () => {
    expect(rows.map((r) => r.id)).toEqual([...ROW_IDS]);
    rows.forEach((r, i) => {
      for (const need of r.needs) expect(rows.slice(0, i).map((x) => x.id)).toContain(need);
    });
  });

  it('marks exactly the browser rows, so that the CLI starts Chromium only for them', () => {
    expect(rows.filter((r) => r.browser).map((r) => r.id)).toEqual([...BROWSER_ROWS]);
    expect(wantsBrowser(undefined)).toBe(true);
    expect(wantsBrowser(['dashboard'])).toBe(true);
    expect(wantsBrowser(['api-cors', 'ticket-scope'])).toBe(false);
  });

  it('makes the browser upload wait for everything it relies on', () => {
    const browser = rows.find((r) => r.id === 'browser-upload');
    expect(browser?.needs.sort()).toEqual(['api-cors', 'bucket-cors', 'put-permission', 'upload-route']);
    expect(rows.find((r) => r.id === 'dashboard')?.needs).toEqual(['browser-upload']);
  });
});

describe('re-checking failures AWS may still be applying', () => {
  const propagating = () =>
    new CheckFailure('S3 refused the upload: 403 AccessDenied', {
      hint: hint('put-permission.missing', { role: 'r', wanted: 'w' }),
      retryable: true,
    });

  it('runs a retryable failure again, says so each time, and keeps the earlier tries', async () => {
    let calls = 0;
    const { results, events } = await run(
      [
        row('a', [], async () => {
          calls += 1;
          if (calls < 3) throw propagating();
          return { summary: 'in force now' };
        }),
      ],
      { waitMs: 20_000 },
    );
    expect(results[0]).toMatchObject({ status: 'pass', detail: 'in force now', tries: { count: 3 } });
    expect(results[0]?.tries?.earlier.map((t) => t.detail)).toEqual([
      'S3 refused the upload: 403 AccessDenied',
      'S3 refused the upload: 403 AccessDenied',
    ]);
    const retries = events.filter((e) => e.type === 'row-retry');
    expect(retries.map((e) => e.type === 'row-retry' && [e.attempt, e.limitMs])).toEqual([
      [1, 20_000],
      [2, 20_000],
    ]);
  }, 20_000);

  it('fails at once when the failure cannot change by waiting, or with no wait allowed', async () => {
    let calls = 0;
    const settled = row('settled', [], async () => {
      calls += 1;
      throw new CheckFailure('wrong setting', {
        hint: hint('put-permission.missing', { role: 'r', wanted: 'w' }),
      });
    });
    const { results } = await run([settled], { waitMs: 20_000 });
    expect(results[0]).toMatchObject({ status: 'fail', detail: 'wrong setting' });
    expect(results[0]?.tries).toBeUndefined();
    expect(calls).toBe(1);

    const noWait = await run([row('nowait', [], () => Promise.reject(propagating()))], { waitMs: 0 });
    expect(noWait.results[0]?.status).toBe('fail');
    expect(noWait.events.some((e) => e.type === 'row-retry')).toBe(false);
  });

  it('stops re-checking at the limit and reports the last failure with every try', async () => {
    const { results, events } = await run([row('never', [], () => Promise.reject(propagating()))], {
      waitMs: 1500,
    });
    expect(results[0]).toMatchObject({ status: 'fail', tries: { count: 3 } });
    const waited = events.flatMap((e) => (e.type === 'row-retry' ? [e.waitedMs] : []));
    expect(waited).toEqual([1000, 1500]);
  }, 20_000);
});
