/**
 * The flow diagram: browser → API → ticket Lambda → S3 → notification → metadata → dashboard.
 * Each part names the checklist rows that cover it (`data-rows`); the page colours it by their
 * worst status.
 */
interface Part {
  id: string;
  label: string;
  sub: string;
  rows: string[];
  x: number;
  y: number;
}

const W = 150;
const H = 54;

const PARTS: Part[] = [
  { id: 'browser', label: 'Browser', sub: 'upload form', rows: ['browser-upload'], x: 10, y: 20 },
  {
    id: 'api',
    label: 'HTTP API',
    sub: 'POST /upload-url',
    rows: ['api-cors', 'upload-route'],
    x: 230,
    y: 20,
  },
  {
    id: 'ticket',
    label: 'Ticket Lambda',
    sub: 'signs the POST',
    rows: ['ticket-function', 'put-permission', 'ticket-scope'],
    x: 450,
    y: 20,
  },
  {
    id: 's3',
    label: 'S3 bucket',
    sub: 'private, CORS',
    rows: ['bucket-cors', 'bucket-private'],
    x: 230,
    y: 140,
  },
  { id: 'notify', label: 'ObjectCreated', sub: 'notification', rows: ['dashboard'], x: 450, y: 140 },
  { id: 'metadata', label: 'Metadata Lambda', sub: 'writes metadata/', rows: ['dashboard'], x: 450, y: 250 },
  { id: 'dashboard', label: 'Dashboard', sub: 'GET /files', rows: ['dashboard'], x: 10, y: 250 },
];

const ARROWS: Array<[string, string, string]> = [
  ['browser', 'api', '1 ticket'],
  ['api', 'ticket', '2 invoke'],
  ['browser', 's3', '3 POST file'],
  ['s3', 'notify', '4 event'],
  ['notify', 'metadata', '5 invoke'],
  ['metadata', 'dashboard', '6 listed'],
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function center(p: Part): [number, number] {
  return [p.x + W / 2, p.y + H / 2];
}

/** Where the segment from a's centre to b's centre leaves box a. */
function edge(a: Part, b: Part): [number, number] {
  const [ax, ay] = center(a);
  const [bx, by] = center(b);
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.min(Math.abs(W / 2 / (dx || 1e-9)), Math.abs(H / 2 / (dy || 1e-9)));
  return [ax + dx * t, ay + dy * t];
}

/**
 * The diagram as SVG. `prefix` keeps the ids of a second copy apart (the lesson shows one where
 * LAB.md draws the flow as text; the checklist panel has the other).
 */
export function diagramSvg({ prefix = '', className = 'flow' } = {}): string {
  const byId = new Map(PARTS.map((p) => [p.id, p]));
  const arrows = ARROWS.map(([from, to, label]) => {
    const a = byId.get(from)!;
    const b = byId.get(to)!;
    const [x1, y1] = edge(a, b);
    const [x2, y2] = edge(b, a);
    const mx = (x1 + x2) / 2;
    const my = (y1 + y2) / 2;
    return `<g class="arrow"><line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" marker-end="url(#${prefix}head)"/><text x="${mx.toFixed(1)}" y="${(my - 6).toFixed(1)}">${esc(label)}</text></g>`;
  }).join('\n');
  const parts = PARTS.map(
    (p) =>
      `<g class="part" data-part="${p.id}" data-rows="${p.rows.join(' ')}" data-status="unknown"><title>${esc(p.label)}: rows ${p.rows.join(', ')}</title><rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="8"/><text class="label" x="${p.x + W / 2}" y="${p.y + 23}">${esc(p.label)}</text><text class="sub" x="${p.x + W / 2}" y="${p.y + 41}">${esc(p.sub)}</text></g>`,
  ).join('\n');
  return `<svg class="${className}" viewBox="0 0 610 320" role="img" aria-labelledby="${prefix}flow-title">
<title id="${prefix}flow-title">The upload flow, coloured by checklist status</title>
<defs><marker id="${prefix}head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>
${arrows}
${parts}
</svg>`;
}
