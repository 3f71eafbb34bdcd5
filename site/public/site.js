// The lab page: runs the checklist through the server (Server-Sent Events), shows each row live,
// colours the flow diagram, fills the reflection panel, and mounts the matching activity.
import { mountActivity } from './activity.js';

/** @typedef {{ id: string, status: string, detail: string, hint?: string, hintId?: string, evidence: Record<string, unknown>, durationMs: number }} RowResult */
/** @typedef {{ id: string, status: string, detail: string, hint: { id: string, text: string } | null, at: string, by: string }} LastRow */
/** @typedef {{ at: string, by: string, rows: LastRow[], summary: { passed: number, failed: number, skipped: number } }} LastRun */

const data = JSON.parse(document.getElementById('lab-data')?.textContent ?? '{}');
const activity = document.getElementById('activity');
if (activity) mountActivity(activity, data.pairs ?? []);

/** @type {Map<string, string>} */
const statuses = new Map();
const summary = /** @type {HTMLElement} */ (document.getElementById('run-summary'));
const runAll = /** @type {HTMLButtonElement} */ (document.getElementById('run-all'));
/** @type {EventSource | undefined} */
let source;

/** @param {string} id */
const rowEl = (id) => /** @type {HTMLElement | null} */ (document.querySelector(`li.row[data-row="${id}"]`));

/**
 * Text with Markdown code spans (`like this`) as nodes: the spans become <code>, the rest stays text.
 * @param {string} text
 * @returns {Node[]}
 */
function inlineCode(text) {
  return text.split(/(`[^`]+`)/).map((part) => {
    if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) {
      const code = document.createElement('code');
      code.textContent = part.slice(1, -1);
      return code;
    }
    return document.createTextNode(part);
  });
}

/**
 * @param {string} id
 * @param {string} status
 * @param {string} [detail]
 * @param {string} [hint]
 * @param {string} [hintId]
 */
function setRow(id, status, detail = '', hint = '', hintId = '') {
  statuses.set(id, status);
  const el = rowEl(id);
  if (!el) return;
  el.dataset['status'] = status;
  const d = el.querySelector('.row-detail');
  const h = el.querySelector('.row-hint');
  if (d) d.replaceChildren(...inlineCode(detail));
  if (h) {
    h.replaceChildren();
    if (hint) h.append('Fix: ', ...inlineCode(hint));
    if (hint && hintId) {
      // The hint's id, linking to the lesson part where its step is explained.
      const label = document.createElement('a');
      label.className = 'hint-id';
      label.href = el.dataset['section'] ?? '#checklist';
      label.textContent = hintId;
      label.title = 'Hint id: the lesson part this row checks';
      h.append(' ', label);
    }
  }
  colourDiagram();
}

const RANK = { fail: 4, error: 4, running: 3, skip: 2, idle: 1, pass: 0 };

function colourDiagram() {
  for (const part of document.querySelectorAll('g.part')) {
    const rows = (part.getAttribute('data-rows') ?? '').split(' ').filter(Boolean);
    const known = rows.map((r) => statuses.get(r)).filter((s) => s && s !== 'idle');
    let status = 'unknown';
    if (known.length) {
      const worst = known.reduce((a, b) =>
        (RANK[/** @type {keyof RANK} */ (b)] ?? 0) > (RANK[/** @type {keyof RANK} */ (a)] ?? 0) ? b : a,
      );
      status = worst === 'error' ? 'fail' : (worst ?? 'unknown');
    }
    part.setAttribute('data-status', status);
  }
}

/**
 * @param {unknown} value
 * @returns {Record<string, any>}
 */
const obj = (value) => (value && typeof value === 'object' ? /** @type {Record<string, any>} */ (value) : {});

/** @param {RowResult} result */
function fillReflection(result) {
  const ev = obj(result.evidence);
  const ticket = obj(ev['ticketRequest']);
  const post = obj(ev['bucketPost']);
  const page = obj(ev['pageStatus']);
  const api = document.body.dataset['api'] ?? '';
  /** @type {Array<[string, unknown]>} */
  const items = [
    ['Result', result.status === 'pass' ? 'S3 accepted the upload straight from the browser' : result.detail],
    ['File the browser chose', ev['fileName']],
    ['Object key the server generated', ev['key'] ?? obj(ev['object'])['key']],
    [
      'Ticket request',
      ticket['url'] ? `POST ${ticket['url']} → ${ticket['status'] ?? ticket['failure']}` : undefined,
    ],
    [
      'Where the bytes went',
      post['url'] ? `POST ${post['url']} → ${post['status'] ?? post['failure']}` : undefined,
    ],
    [
      'Through the API?',
      post['url']
        ? api && String(post['url']).startsWith(api)
          ? 'yes: not what we want'
          : 'no: straight to S3'
        : undefined,
    ],
    ['What the page showed', page['text']],
  ];
  const list = /** @type {HTMLElement} */ (document.getElementById('upload-reflection'));
  list.replaceChildren();
  for (const [term, value] of items) {
    if (value === undefined || value === null || value === '') continue;
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = typeof value === 'string' ? value : JSON.stringify(value);
    list.append(dt, dd);
  }
}

/** @param {string} [only] */
function run(only) {
  source?.close();
  runAll.disabled = true;
  for (const b of document.querySelectorAll('button.run-one'))
    /** @type {HTMLButtonElement} */ (b).disabled = true;
  summary.textContent = only ? `Running ${only}…` : 'Running every check…';
  const url = only ? `/api/checks/run?only=${encodeURIComponent(only)}` : '/api/checks/run';
  const es = new EventSource(url);
  source = es;
  const finish = () => {
    es.close();
    runAll.disabled = false;
    for (const b of document.querySelectorAll('button.run-one'))
      /** @type {HTMLButtonElement} */ (b).disabled = false;
  };
  es.addEventListener('run-start', (e) => {
    const { rows } = JSON.parse(/** @type {MessageEvent} */ (e).data);
    for (const r of rows) setRow(r.id, 'queued', 'Waiting…');
  });
  es.addEventListener('row-start', (e) =>
    setRow(JSON.parse(/** @type {MessageEvent} */ (e).data).id, 'running', 'Running…'),
  );
  // A failure AWS may still be applying: the checker runs the row again shortly.
  es.addEventListener('row-retry', (e) => {
    const r = JSON.parse(/** @type {MessageEvent} */ (e).data);
    const s = (/** @type {number} */ n) => `${Math.round(n / 1000)} s`;
    setRow(
      r.id,
      'running',
      `AWS may still be applying a recent change — checking again (${s(r.waitedMs)} / up to ${s(r.limitMs)})`,
    );
  });
  es.addEventListener('row-end', (e) => {
    /** @type {RowResult} */
    const result = JSON.parse(/** @type {MessageEvent} */ (e).data).result;
    setRow(result.id, result.status, result.detail, result.hint, result.hintId);
    if (result.id === 'browser-upload') fillReflection(result);
  });
  es.addEventListener('run-end', (e) => {
    const { summary: s, recordedAt } = JSON.parse(/** @type {MessageEvent} */ (e).data);
    shownAt = recordedAt ?? new Date().toISOString();
    delete summary.dataset['lastRun'];
    summary.textContent = `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
    summary.dataset['done'] = 'true';
    finish();
  });
  es.addEventListener('run-error', (e) => {
    const { message } = JSON.parse(/** @type {MessageEvent} */ (e).data);
    summary.textContent = message;
    summary.dataset['done'] = 'error';
    finish();
  });
  es.onerror = () => {
    if (summary.dataset['done']) return;
    summary.textContent = 'Lost the connection to the lab server. Is `npm run site` still running?';
    finish();
  };
}

/** When the shown results were reached: a run of another process newer than this replaces them. */
let shownAt = '';

/** Shows the latest run recorded for this stack by any process (npm run check, npm run demo, this page). */
async function showLastRun() {
  if (source && source.readyState !== EventSource.CLOSED) return;
  /** @type {LastRun | null} */
  const last = await fetch('/api/checks/last', { cache: 'no-store' })
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
  // A run started meanwhile (or one already shown) wins over the record.
  if (!last || last.at <= shownAt || (source && source.readyState !== EventSource.CLOSED)) return;
  shownAt = last.at;
  for (const row of last.rows) setRow(row.id, row.status, row.detail, row.hint?.text, row.hint?.id);
  const s = last.summary;
  const when = new Date(last.at).toLocaleString();
  summary.textContent = `Last run ${when}, by ${last.by}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
  summary.dataset['lastRun'] = last.at;
}
void showLastRun();
setInterval(() => void showLastRun(), 5000);

runAll.addEventListener('click', () => {
  delete summary.dataset['done'];
  run();
});
for (const button of document.querySelectorAll('button.run-one')) {
  button.addEventListener('click', () => {
    delete summary.dataset['done'];
    run(/** @type {HTMLElement} */ (button).dataset['run']);
  });
}
