import type { BenchContext } from './lib/context.ts';
import { keepAlive, send, type Answer } from './lib/http-client.ts';
import { multipartBody, payloadChunks } from './lib/payload.ts';
import { sizeLabel } from './lib/plan.ts';
import { installProxyRoute, raiseTicketLimit } from './lib/proxy-route.ts';
import { withRatios, type Figure, type Row } from './lib/results.ts';
import { PROXY_FUNCTION, TICKET_FUNCTION, type Report, type SolutionStack } from './lib/stack.ts';
import { formatSummary } from './lib/table.ts';
import { summarize } from './lib/stats.ts';

const VIA_API = 'through the API';
const GATEWAY_LIMIT = 10 * 1024 * 1024;
const LAMBDA_LIMIT = 6_291_456;
const CONTENT_TYPE = 'application/pdf';

interface Attempt {
  ok: boolean;
  ms: number;
  status: string;
  billedMs?: number;
}

/**
 * Figure 4, the lesson's claim: the same file uploaded directly to S3 with a ticket, and through
 * the API (`POST /proxy-upload`, a Lambda that gets the file in its event and puts it to S3):
 * time, the Lambda's billed duration, and where the proxied path hits Lambda's 6 MB synchronous
 * payload limit and API Gateway's 10 MB limit.
 */
export async function benchProxy(ctx: BenchContext): Promise<Figure> {
  const stack = await ctx.stack();
  ctx.log('proxy: adding POST /proxy-upload and raising the ticket size limit');
  const proxyUrl = await installProxyRoute(stack);
  await raiseTicketLimit(stack, Math.max(...ctx.plan.proxySizes) * 2);
  const rows: Row[] = [];
  const table: string[][] = [];
  const details: Array<{ size: number; direct: Attempt[]; proxied: Attempt[] }> = [];
  const agent = keepAlive(1);
  try {
    for (const size of ctx.plan.proxySizes) {
      ctx.log(`proxy: ${sizeLabel(size)}`);
      const body = Buffer.concat([...payloadChunks(size)]);
      const direct: Attempt[] = [];
      const proxied: Attempt[] = [];
      let refused = false;
      for (let round = 0; round < ctx.plan.warmups + ctx.plan.runs; round++) {
        const d = await directUpload(stack, size, agent);
        // A refusal is the same every time: once seen, the proxied path is not tried again.
        const p = refused ? undefined : await proxiedUpload(stack, proxyUrl, body);
        if (p && !p.ok) {
          refused = true;
          proxied.push(p); // a refusal is a result, warm-up or not
        }
        if (round < ctx.plan.warmups) continue;
        direct.push(d);
        if (p?.ok) proxied.push(p);
      }
      details.push({ size, direct, proxied });
      const sum = (as: Attempt[], pick: (a: Attempt) => number | undefined) => {
        const values = as
          .filter((a) => a.ok)
          .map(pick)
          .filter((v): v is number => v !== undefined);
        return values.length ? summarize(values) : undefined;
      };
      const row = withRatios({
        label: `upload ${sizeLabel(size)}`,
        unit: 'ms',
        better: 'lower',
        ours: sum(direct, (a) => a.ms),
        baselines: { [VIA_API]: sum(proxied, (a) => a.ms) },
        note: `through the API: ${proxied
          .map((p) => p.status)
          .filter((s, i, all) => all.indexOf(s) === i)
          .join('; ')}`,
      });
      rows.push(row);
      table.push([
        sizeLabel(size),
        formatSummary(row.ours),
        formatSummary(sum(direct, (a) => a.billedMs)),
        proxied.every((p) => p.ok) ? 'ok' : proxied[proxied.length - 1]!.status,
        formatSummary(sum(proxied, (a) => a.ms)),
        formatSummary(sum(proxied, (a) => a.billedMs)),
        why(size),
      ]);
    }
  } finally {
    agent.destroy();
  }
  return {
    id: 'proxy',
    title: "The lesson's claim: direct upload with a ticket vs. the file through the API",
    ours: 'direct with a ticket',
    baselineNames: [VIA_API],
    rows,
    table: {
      headers: [
        'file',
        'direct ms ↓',
        'direct billed ms',
        'via API',
        'via API ms ↓',
        'via API billed ms',
        'why',
      ],
      rows: table,
    },
    details,
    notes: [
      'direct: POST /upload-url (the upload-ticket Lambda), then the file straight to S3; billed = the ticket Lambda.',
      'via API: the file as the body of POST /proxy-upload; API Gateway base64-encodes a binary body into the event, the Lambda decodes it and calls PutObject; billed = that Lambda.',
      `For this figure the ticket function's MAX_UPLOAD_BYTES is raised from 10 MiB so the direct path can take the largest file.`,
    ],
  };
}

/** What the proxied path is up against at this size, from the limits alone. */
function why(size: number): string {
  const event = Math.ceil(size / 3) * 4 + 1500;
  if (size > GATEWAY_LIMIT) return `body > API Gateway's 10 MB (${GATEWAY_LIMIT} B)`;
  if (event > LAMBDA_LIMIT) return `base64 event ≈ ${(event / 1e6).toFixed(1)} MB > Lambda's 6 MB`;
  return `base64 event ≈ ${(event / 1e6).toFixed(1)} MB, under both limits`;
}

async function directUpload(
  stack: SolutionStack,
  size: number,
  agent: ReturnType<typeof keepAlive>,
): Promise<Attempt> {
  stack.clearReports(TICKET_FUNCTION);
  const started = performance.now();
  const asked = await send(`${stack.outputs.apiEndpoint}/upload-url`, {
    body: JSON.stringify({ filename: 'bench.pdf', contentType: CONTENT_TYPE, size }),
    headers: { 'content-type': 'application/json', origin: stack.origin },
    agent,
  });
  if (asked.status !== 200)
    return { ok: false, ms: 0, status: `ticket ${asked.status} ${asked.text.slice(0, 200)}` };
  const ticket = JSON.parse(asked.text) as { upload: { url: string; fields: Record<string, string> } };
  const posted = await send(ticket.upload.url, { body: multipartBody(ticket.upload.fields, size), agent });
  const ms = performance.now() - started;
  const report = await stack.nextReport(TICKET_FUNCTION, 5000).catch(() => undefined);
  if (posted.status !== 204)
    return { ok: false, ms, status: `S3 ${posted.status} ${posted.text.slice(0, 200)}` };
  return { ok: true, ms, status: '204', ...(report ? { billedMs: report.billedMs } : {}) };
}

async function proxiedUpload(stack: SolutionStack, url: string, body: Buffer): Promise<Attempt> {
  stack.clearReports(PROXY_FUNCTION);
  const started = performance.now();
  let answer: Answer;
  try {
    // A fresh connection each time: a refused upload may leave its connection unusable.
    answer = await send(url, { body, headers: { 'content-type': CONTENT_TYPE, origin: stack.origin } });
  } catch (err) {
    return {
      ok: false,
      ms: performance.now() - started,
      status: `connection error: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    };
  }
  const ms = performance.now() - started;
  const report: Report | undefined = await stack
    .nextReport(PROXY_FUNCTION, answer.status === 200 ? 5000 : 500)
    .catch(() => undefined);
  const status = answer.status === 200 ? '200' : `${answer.status} ${answer.text.slice(0, 120)}`;
  return {
    ok: answer.status === 200,
    ms,
    status: report || answer.status === 200 ? status : `${status} (function not invoked)`,
    ...(report ? { billedMs: report.billedMs } : {}),
  };
}
