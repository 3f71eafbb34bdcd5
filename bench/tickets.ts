import path from 'node:path';
import { startServer } from './lib/child.ts';
import type { BenchContext } from './lib/context.ts';
import { keepAlive, loadWindow, send } from './lib/http-client.ts';
import { REPO_ROOT } from './lib/paths.ts';
import { meets, withRatios, type Figure, type Row } from './lib/results.ts';
import { percentile, summarize } from './lib/stats.ts';

const BASELINE = 'bare node:http';
const BODY = JSON.stringify({ filename: 'cat.png', contentType: 'image/png', size: 1024 });

/**
 * Figure 3: `POST /upload-url` through the local AWS's HTTP API (gateway, Lambda worker, the
 * reference function) against a bare node:http server running the same handler in-process:
 * warm latency, then tickets per second at several client counts.
 */
export async function benchTickets(ctx: BenchContext): Promise<Figure> {
  const stack = await ctx.stack();
  const bare = await startServer(path.join(REPO_ROOT, 'bench', 'servers', 'ticket-baseline.ts'), [], {
    env: {
      UPLOAD_BUCKET: stack.outputs.bucket,
      AWS_REGION: stack.outputs.region,
      AWS_ENDPOINT_URL: stack.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
  });
  const targets = [
    `${stack.outputs.apiEndpoint.replace('//localhost:', '//127.0.0.1:')}/upload-url`,
    `${bare.ready.url}/upload-url`,
  ];
  const rows: Row[] = [];
  try {
    ctx.log(`tickets: warm latency, ${ctx.plan.latencyRequests} sequential requests each`);
    const p50 = targets.map(() => [] as number[]);
    const p99 = targets.map(() => [] as number[]);
    const batch = Math.max(5, Math.floor(ctx.plan.latencyRequests / ctx.plan.runs));
    for (const [i, url] of targets.entries()) {
      const agent = keepAlive(1);
      const once = ticketRequest(url, stack.origin, agent);
      try {
        for (let w = 0; w < 20; w++) await once();
        for (let run = 0; run < ctx.plan.runs; run++) {
          const ms: number[] = [];
          for (let n = 0; n < batch; n++) {
            const r = await once();
            if (!r.ok) throw new Error(`${url} answered ${r.why}`);
            ms.push(r.ms);
          }
          p50[i]!.push(percentile(ms, 50));
          p99[i]!.push(percentile(ms, 99));
        }
      } finally {
        agent.destroy();
      }
    }
    const latency = (label: string, values: number[][], limit?: number): Row => {
      const row = withRatios({
        label,
        unit: 'ms',
        better: 'lower',
        ours: summarize(values[0]!),
        baselines: { [BASELINE]: summarize(values[1]!) },
      });
      if (limit !== undefined)
        row.target = { text: `≤ ${limit} ms`, met: meets(row.ours?.median, 'lower', limit) };
      return row;
    };
    rows.push(latency(`warm latency p50 (${batch}-request batches)`, p50, 5));
    rows.push(latency(`warm latency p99 (${batch}-request batches)`, p99));

    for (const clients of ctx.plan.ticketClients) {
      ctx.log(`tickets: ${clients} concurrent clients`);
      const rates = targets.map(() => [] as number[]);
      const errors = targets.map(() => 0);
      for (const [i, url] of targets.entries()) {
        const agent = keepAlive(clients);
        const once = ticketRequest(url, stack.origin, agent);
        try {
          await loadWindow(clients, Math.min(1000, ctx.plan.windowMs), once);
          for (let run = 0; run < ctx.plan.runs; run++) {
            const w = await loadWindow(clients, ctx.plan.windowMs, once);
            rates[i]!.push(w.perSecond);
            errors[i]! += w.errors;
          }
        } finally {
          agent.destroy();
        }
      }
      const row = withRatios({
        label: `tickets, ${clients} client${clients === 1 ? '' : 's'}`,
        unit: 'tickets/s',
        better: 'higher',
        ours: summarize(rates[0]!),
        baselines: { [BASELINE]: summarize(rates[1]!) },
        ...(errors.some((e) => e > 0) ? { note: `errors: ours ${errors[0]}, bare ${errors[1]}` } : {}),
      });
      if (clients === 16) row.target = { text: '≥ 500/s', met: meets(row.ours?.median, 'higher', 500) };
      rows.push(row);
    }
  } finally {
    await bare.stop();
  }
  return {
    id: 'tickets',
    title: 'Upload tickets (POST /upload-url) through the HTTP API',
    ours: 'local AWS',
    baselineNames: [BASELINE],
    rows,
    notes: [
      `${BASELINE}: the same upload-ticket handler called in-process, no gateway and no Lambda worker.`,
      'The local AWS path: HTTP API routing and CORS, Lambda resource-policy check, the event, a warm Node.js worker process, the result mapped back.',
    ],
  };
}

function ticketRequest(url: string, origin: string, agent: ReturnType<typeof keepAlive>) {
  return async () => {
    const a = await send(url, {
      body: BODY,
      headers: { 'content-type': 'application/json', origin },
      agent,
    });
    return a.status === 200
      ? { ok: true, ms: a.ms }
      : { ok: false, ms: a.ms, why: `${a.status} ${a.text.slice(0, 200)}` };
  };
}
