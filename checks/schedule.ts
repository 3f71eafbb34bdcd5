import { setTimeout as sleep } from 'node:timers/promises';
import { CheckFailure } from './check-failure.ts';
import { createMemo, type CheckContext } from './context.ts';
import { LabError } from './lab-error.ts';
import { debug } from './lib/debug.ts';
import type { Check, RowResult, RunEvent } from './types.ts';
import { permissionProblem } from './permission-error.ts';

export interface ScheduleOptions {
  timeoutMs: number;
  emit: (event: RunEvent) => void;
  /** A reason to skip a row before it runs (e.g. no Chromium for a browser row). */
  skipReason?: (check: Check) => string | undefined;
  /** Milliseconds since the run started. */
  clock: () => number;
  /** Total re-check time for a retryable failure (0: none). Default 0. */
  waitMs?: number;
}

/** The answers rows share that a re-check must not ask again: the browser's page and its flows. */
const KEPT_ON_RETRY = new Set(['frontend-page', 'upload-flow', 'dashboard-flow']);

/** Backoff between re-checks: 1 s, 2 s, 3 s, 4 s, 5 s, … (about 5 tries in 20 s). */
const retryDelay = (attempt: number): number => Math.min(1000 * attempt, 5000);

/** The rows to run for `--only`: the named ones and, transitively, the rows they need; in lab order. */
export function selectRows(all: readonly Check[], only: readonly string[] | undefined): Check[] {
  if (!only || only.length === 0) return [...all];
  const byId = new Map(all.map((c) => [c.id, c]));
  const unknown = only.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new LabError(
      'LAB_USAGE',
      `unknown row ${unknown.map((u) => `"${u}"`).join(', ')}. Rows: ${all.map((c) => c.id).join(', ')}.`,
    );
  }
  const wanted = new Set<string>();
  const add = (id: string): void => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const need of byId.get(id)?.needs ?? []) add(need);
  };
  only.forEach(add);
  return all.filter((c) => wanted.has(c.id));
}

/**
 * Runs every row as soon as the rows it needs have finished, all independent rows at once. A row
 * whose need did not pass is skipped with the reason; a row that overruns its timeout is an error.
 */
export async function runRows(
  checks: readonly Check[],
  ctx: CheckContext,
  options: ScheduleOptions,
): Promise<RowResult[]> {
  const done = new Map<string, Promise<RowResult>>();
  const start = (check: Check): Promise<RowResult> => {
    let started = done.get(check.id);
    if (!started) {
      started = (async () => {
        const needs = await Promise.all(
          check.needs.map((id) => {
            const dep = checks.find((c) => c.id === id);
            return dep ? start(dep) : undefined;
          }),
        );
        const t0 = options.clock();
        const blocked = needs.filter((r): r is RowResult => r !== undefined && r.status !== 'pass');
        const reason = blocked.length > 0 ? blockedReason(blocked) : options.skipReason?.(check);
        if (reason !== undefined)
          return finish(check, { status: 'skip', detail: reason, evidence: {} }, t0, 0);
        options.emit({ type: 'row-start', id: check.id });
        debug(`${check.id} starts`);
        const outcome = await runRetrying(check, ctx, options, t0);
        return finish(check, outcome, t0, options.clock() - t0);
      })();
      done.set(check.id, started);
    }
    return started;
  };
  const finish = (check: Check, outcome: Outcome, startMs: number, durationMs: number): RowResult => {
    const result: RowResult = {
      id: check.id,
      title: check.title,
      step: check.step,
      ...outcome,
      startMs,
      durationMs,
    };
    debug(`${check.id} ${result.status}`);
    options.emit({ type: 'row-end', result });
    return result;
  };
  return Promise.all(checks.map(start));
}

type Outcome = Pick<RowResult, 'status' | 'detail' | 'evidence' | 'hint' | 'hintId' | 'tries'>;

/**
 * Runs a row; while it fails in a way AWS may still be propagating (`CheckFailure.retryable`)
 * and the wait allows, says so and runs it again with backoff (re-asking AWS: shared answers
 * other than the browser's are not reused). The last outcome counts; earlier tries are kept.
 */
async function runRetrying(
  check: Check,
  ctx: CheckContext,
  options: ScheduleOptions,
  t0: number,
): Promise<Outcome> {
  const limitMs = options.waitMs ?? 0;
  const earlier: NonNullable<RowResult['tries']>['earlier'] = [];
  let waited = 0;
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await runOne(check, attempt === 1 ? ctx : freshAnswers(ctx), options.timeoutMs);
    const withTries = (o: Outcome): Outcome =>
      earlier.length ? { ...o, tries: { count: attempt, earlier } } : o;
    if (!outcome.retryable) return withTries(outcome.result);
    const delayMs = Math.min(retryDelay(attempt), limitMs - waited);
    if (delayMs <= 0) return withTries(outcome.result);
    earlier.push({
      atMs: options.clock() - t0,
      detail: outcome.result.detail,
      ...(outcome.result.hintId ? { hintId: outcome.result.hintId } : {}),
    });
    options.emit({
      type: 'row-retry',
      id: check.id,
      attempt,
      delayMs,
      waitedMs: waited + delayMs,
      limitMs,
      detail: outcome.result.detail,
    });
    debug(`${check.id} retryable failure, again in ${delayMs} ms`);
    await sleep(delayMs);
    waited += delayMs;
  }
}

/** The context for a re-check: the run's own, but AWS is asked again (except for the browser's work). */
function freshAnswers(ctx: CheckContext): CheckContext {
  const fresh = createMemo();
  return {
    ...ctx,
    memo: (key, fn) => (KEPT_ON_RETRY.has(key) ? ctx.memo(key, fn) : fresh(key, fn)),
  };
}

function blockedReason(blocked: RowResult[]): string {
  const parts = blocked.map(
    (r) => `${r.id} ${r.status === 'skip' ? 'was skipped' : r.status === 'error' ? 'errored' : 'failed'}`,
  );
  return `needs ${parts.join(' and ')}`;
}

async function runOne(
  check: Check,
  ctx: CheckContext,
  timeoutMs: number,
): Promise<{ result: Outcome; retryable: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RowTimeout(timeoutMs)), timeoutMs);
  });
  try {
    const evidence = await Promise.race([check.run(ctx), timeout]);
    return { result: { status: 'pass', detail: passDetail(evidence), evidence }, retryable: false };
  } catch (err) {
    if (err instanceof CheckFailure) {
      return {
        result: {
          status: 'fail',
          detail: err.message,
          evidence: err.evidence,
          ...(err.hintId ? { hintId: err.hintId } : {}),
          ...(err.hint ? { hint: err.hint } : {}),
        },
        retryable: err.retryable,
      };
    }
    const e = err as Error;
    const detail =
      err instanceof RowTimeout
        ? e.message
        : (throttled(err) ??
          permissionProblem(err)?.message ??
          `${e.name ?? 'Error'}: ${e.message ?? String(err)}`);
    return {
      result: { status: 'error', detail, evidence: { stack: e.stack?.split('\n').slice(0, 6).join('\n') } },
      retryable: false,
    };
  } finally {
    clearTimeout(timer);
  }
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'SlowDown',
  'RequestLimitExceeded',
]);

/** AWS still said "slow down" after the SDK's retries: a coded line with what to do, not the raw error. */
function throttled(err: unknown): string | undefined {
  const e = err as { name?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object' || !('$metadata' in e) || !THROTTLING_CODES.has(String(e.name)))
    return undefined;
  return `LAB_THROTTLED: AWS is throttling the checker's calls (${String(e.name)}: ${String(e.message)}). Wait a minute, then run the check again.`;
}

/** A passing row may explain itself with `summary` in its evidence. */
function passDetail(evidence: Record<string, unknown>): string {
  return typeof evidence['summary'] === 'string' ? evidence['summary'] : 'ok';
}

class RowTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${Math.round(ms / 1000)} s (raise it with --timeout S)`);
    this.name = 'RowTimeout';
  }
}
