import { rm } from 'node:fs/promises';
import path from 'node:path';
import { resetPeak } from './lib/child.ts';
import type { BenchContext } from './lib/context.ts';
import { keepAlive } from './lib/http-client.ts';
import { GiB, MiB, payloadMd5 } from './lib/payload.ts';
import { sizeLabel } from './lib/plan.ts';
import { meets, withRatios, type Figure, type Row } from './lib/results.ts';
import { summarize } from './lib/stats.ts';
import {
  SERVER_KINDS,
  startUploadServer,
  uploadOnce,
  type ServerKind,
  type UploadServer,
} from './lib/upload-servers.ts';
import { concurrentRows, firstUploadRow } from './uploads-concurrency.ts';

const OURS: ServerKind = 'local AWS';
const BASELINES = ['sink', 's3rver'] as const;

/**
 * Figure 2: presigned POST uploads into the local AWS, a minimal streaming sink and s3rver, each
 * in its own process: throughput per size and the server's peak RSS, then 1 KiB uploads under
 * concurrency, then the first upload on a freshly started server.
 */
export async function benchUploads(ctx: BenchContext): Promise<Figure> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const servers: UploadServer[] = [];
  try {
    for (const kind of SERVER_KINDS)
      servers.push(await startUploadServer(kind, path.join(ctx.dir, `uploads-${kind.replace(' ', '-')}`)));
    const idle = await Promise.all(servers.map(async (s) => (await s.child.memory())?.rssMiB));
    rows.push(memoryRow('server RSS after start, idle', servers, idle));
    const peaks = new Map<number, Array<number | undefined>>();
    for (const size of ctx.plan.uploadSizes) {
      ctx.log(`uploads: ${sizeLabel(size)} × ${runsFor(ctx, size)} per server`);
      const { row, peak, resettable } = await throughput(ctx, servers, size);
      rows.push(row);
      if (!resettable)
        notes.push('Peak RSS could not be reset between sizes: each peak includes the smaller sizes.');
      peaks.set(size, peak);
    }
    for (const [size, peak] of peaks) {
      const row = memoryRow(`server peak RSS, ${sizeLabel(size)} uploads`, servers, peak);
      if (size === GiB) {
        const at100 = peaks.get(100 * MiB)?.[0];
        const limit = Math.min(128, at100 === undefined ? 128 : at100 + 16);
        row.target = {
          text: `≤ 128 MiB, ≤ 100 MiB figure + 16`,
          met: meets(row.ours?.median, 'lower', limit),
        };
      }
      rows.push(row);
    }
    for (const clients of ctx.plan.uploadClients) {
      ctx.log(`uploads: 1 KiB, ${clients} concurrent clients`);
      rows.push(await concurrentRows(ctx, servers, clients));
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(servers.map((s) => rm(s.dirOf, { recursive: true, force: true })));
  }
  ctx.log('uploads: first upload on a fresh server');
  rows.push(await firstUploadRow(ctx));
  notes.push(
    'sink: node:http + busboy, file part streamed to disk with MD5 inline; no signature, policy, index or fsync.',
    's3rver 3.7.1 does not verify the POST policy or signature; the local AWS verifies both, authorizes the signer (IAM) and has each object on disk (synced) before answering; concurrent uploads share their disk flushes (group commit).',
    'Every server runs the way the npm scripts run the lab: node scripts/run.mjs, a cached esbuild bundle on plain Node (no tsx).',
  );
  return {
    id: 'uploads',
    title: 'Presigned POST uploads: throughput, server memory, concurrency, first upload',
    ours: OURS,
    baselineNames: [...BASELINES],
    rows,
    notes,
  };
}

const runsFor = (ctx: BenchContext, size: number) => (size >= GiB ? ctx.plan.runsAt1GiB : ctx.plan.runs);

/** Uploads `size` to every server in turn, run after run, so that drift hits all alike. */
async function throughput(ctx: BenchContext, servers: UploadServer[], size: number) {
  const md5 = payloadMd5(size);
  const agent = keepAlive(1);
  const rates = servers.map(() => [] as number[]);
  const failures: string[] = [];
  const resettable = (await Promise.all(servers.map((s) => resetPeak(s.child.pid)))).every(Boolean);
  const runs = runsFor(ctx, size);
  // The smaller sizes warmed the servers up; a 1 GiB warm-up would only cost time.
  const warmups = size >= GiB ? 0 : ctx.plan.warmups;
  try {
    for (let round = 0; round < warmups + runs; round++)
      for (const [i, server] of servers.entries()) {
        const r = await uploadOnce(server, `bench/size-${size}`, size, agent, md5);
        if (!r.ok) failures.push(`${server.kind}: ${r.why}`);
        else if (round >= warmups) rates[i]!.push(size / MiB / (r.ms / 1000));
      }
  } finally {
    agent.destroy();
  }
  const peak = await Promise.all(servers.map(async (s) => (await s.child.memory())?.peakMiB));
  const summaries = rates.map((r) => (r.length ? summarize(r) : undefined));
  const row = withRatios({
    label: `upload ${sizeLabel(size)}`,
    unit: 'MiB/s',
    better: 'higher',
    ours: summaries[0],
    baselines: Object.fromEntries(BASELINES.map((name, i) => [name, summaries[i + 1]])),
    ...(failures.length ? { note: `${failures.length} failed: ${failures[0]}` } : {}),
  });
  if (size >= 100 * MiB) {
    const sink = row.ratios['sink'];
    const peer = row.ratios['s3rver'];
    row.target = {
      text: '≥ 0.8× sink, ≥ 1.3× s3rver',
      met: sink === undefined || peer === undefined ? undefined : sink >= 0.8 && peer >= 1.3,
    };
  }
  return { row, peak, resettable };
}

function memoryRow(label: string, servers: UploadServer[], values: Array<number | undefined>): Row {
  const one = (v: number | undefined) => (v === undefined ? undefined : summarize([v]));
  return withRatios({
    label,
    unit: 'MiB',
    better: 'lower',
    ours: one(values[0]),
    baselines: Object.fromEntries(servers.slice(1).map((s, i) => [s.kind, one(values[i + 1])])),
  });
}
