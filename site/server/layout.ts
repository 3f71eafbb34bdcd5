import { diagramSvg } from './diagram.ts';
import type { RenderedLab } from './render-lab.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export interface PageData {
  lab: RenderedLab;
  /** The HTTP API's base URL, when known. */
  api?: string;
  rows: Array<{ id: string; title: string; step: string }>;
  target: string;
}

/** The lab page: the lesson on the left, the checklist, diagram and reflection beside it. */
export function labPage({ lab, rows, target, api }: PageData): string {
  const toc = lab.toc
    .filter((t) => t.depth === 2)
    .map((t) => `<li><a href="#${t.id}">${esc(t.text)}</a></li>`)
    .join('');
  // Each row links (by its hint id) to the lesson part of its step; the security rows to their section.
  const parts = lab.toc.filter((t) => t.depth === 2);
  const sectionOf = (step: string) =>
    (
      parts.find((t) => t.text.toLowerCase().includes(step.toLowerCase())) ??
      parts.find((t) => /security rows/i.test(t.text)) ??
      parts.find((t) => /checklist/i.test(t.text))
    )?.id;
  const rowItems = rows
    .map(
      (
        r,
      ) => `<li class="row" data-row="${r.id}" data-status="idle" data-section="#${sectionOf(r.step) ?? ''}">
  <div class="row-head"><span class="badge" aria-hidden="true"></span><span class="row-title">${esc(r.title)}</span>
  <code class="row-id">${r.id}</code><button type="button" class="run-one" data-run="${r.id}" aria-label="Run ${esc(r.id)}">Run</button></div>
  <p class="row-detail" aria-live="polite"></p><p class="row-hint"></p></li>`,
    )
    .join('\n');
  const data = JSON.stringify({ pairs: lab.pairs, rows }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(lab.title)}</title>
<link rel="stylesheet" href="/static/site.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body data-api="${esc(api ?? '')}">
<header class="top">
  <h1>${esc(lab.title)}</h1>
  <p class="target">Checking: <code>${esc(target)}</code> · <a href="/app/" target="_blank" rel="noopener">Open your app</a></p>
</header>
<div class="layout">
  <nav class="toc" aria-label="Lesson sections"><ol>${toc}</ol></nav>
  <main class="lesson">${lab.html}</main>
  <aside class="side">
    <section class="panel" aria-labelledby="checklist-title">
      <div class="panel-head"><h2 id="checklist-title">Checklist</h2>
      <button type="button" id="run-all" class="primary">Run all checks</button></div>
      <ol class="rows">${rowItems}</ol>
      <p id="run-summary" class="summary" aria-live="polite">Not run yet.</p>
    </section>
    <section class="panel" aria-labelledby="flow-heading">
      <h2 id="flow-heading">The flow</h2>
      ${diagramSvg()}
      <p class="legend"><span class="sw pass"></span>passes <span class="sw fail"></span>fails <span class="sw skip"></span>skipped <span class="sw unknown"></span>not run</p>
    </section>
    <section class="panel" aria-labelledby="reflection-title">
      <h2 id="reflection-title">Your last upload</h2>
      <dl id="upload-reflection" class="reflection"><dt>Status</dt><dd>Run the <code>browser-upload</code> row to fill this in.</dd></dl>
    </section>
  </aside>
</div>
<script type="application/json" id="lab-data">${data}</script>
<script type="module" src="/static/site.js"></script>
</body>
</html>`;
}
