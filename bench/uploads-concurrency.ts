import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { BenchContext } from './lib/context.ts';
import { keepAlive, loadWindow } from './lib/http-client.ts';
import { KiB, MiB, payloadMd5 } from './lib/payload.ts';
import { meets, withRatios, type Row } from './lib/results.ts';
import { summarize } from './lib/stats.ts';
import {
  SERVER_KINDS,
  seedLocalAws,
  startUploadServer,
  uploadOnce,
  type UploadServer,
} from './lib/upload-servers.ts';

let sequence = 0;

/** 1 KiB uploads from `clients` concurrent clients: uploads per second, window after window, per server. */
export async function concurrentRows(
  ctx: BenchContext,
  servers: UploadServer[],
  clients: number,
): Promise<Row> {
  const md5 = payloadMd5(KiB);
  const rates = servers.map(() => [] as number[]);
  const errors = servers.map(() => 0);
  const firstError: string[] = [];
  const agents = servers.map(() => keepAlive(clients));
  const once = (i: number) => () =>
    uploadOnce(servers[i]!, `bench/c/${clients}-${sequence++}`, KiB, agents[i]!, md5);
  try {
    for (const i of servers.keys()) await loadWindow(clients, Math.min(500, ctx.plan.windowMs), once(i));
    // Window after window, server after server: a burst of load from elsewhere hits all alike.
    for (let run = 0; run < ctx.plan.runs; run++)
      for (const i of servers.keys()) {
        const w = await loadWindow(clients, ctx.plan.windowMs, once(i));
        rates[i]!.push(w.perSecond);
        errors[i]! += w.errors;
        if (w.firstError) firstError.push(`${servers[i]!.kind}: ${w.firstError}`);
      }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  const summaries = rates.map((r) => summarize(r));
  const row = withRatios({
    label: `1 KiB uploads, ${clients} clients`,
    unit: 'uploads/s',
    better: 'higher',
    ours: summaries[0],
    baselines: { sink: summaries[1], s3rver: summaries[2] },
    note: `errors: ${servers.map((s, i) => `${s.kind} ${errors[i]}`).join(', ')}${firstError[0] ? `; first: ${firstError[0]}` : ''}`,
  });
  const sink = row.ratios['sink'];
  const peer = row.ratios['s3rver'];
  row.target = {
    text: '≥ 0.75× sink, ≥ 3× s3rver, no errors',
    met: sink === undefined || peer === undefined ? undefined : sink >= 0.75 && peer >= 3 && errors[0] === 0,
  };
  return row;
}

/**
 * The first 1 MiB upload a server answers after it started (the local AWS restarted on a data dir
 * that already holds the bucket), each sample a new process. Servers alternate, sample by sample.
 */
export async function firstUploadRow(ctx: BenchContext): Promise<Row> {
  const md5 = payloadMd5(MiB);
  const dirs = SERVER_KINDS.map((kind) => path.join(ctx.dir, `first-${kind.replace(' ', '-')}`));
  await seedLocalAws(dirs[0]!);
  const times = SERVER_KINDS.map(() => [] as number[]);
  const failures: string[] = [];
  try {
    for (let sample = 0; sample < ctx.plan.firstUploadSamples; sample++)
      for (const [i, kind] of SERVER_KINDS.entries()) {
        const server = await startUploadServer(kind, dirs[i]!, { seeded: true });
        const agent = keepAlive(1);
        try {
          const r = await uploadOnce(server, 'bench/first', MiB, agent, md5);
          if (r.ok) times[i]!.push(r.ms);
          else failures.push(`${kind}: ${r.why}`);
        } finally {
          agent.destroy();
          await server.stop();
        }
      }
  } finally {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
  const summaries = times.map((t) => (t.length ? summarize(t) : undefined));
  const row = withRatios({
    label: 'first 1 MiB upload, fresh server',
    unit: 'ms',
    better: 'lower',
    ours: summaries[0],
    baselines: { sink: summaries[1], s3rver: summaries[2] },
    ...(failures.length ? { note: `${failures.length} failed: ${failures[0]}` } : {}),
  });
  row.target = { text: '≤ 60 ms', met: meets(row.ours?.median, 'lower', 60) };
  return row;
}
