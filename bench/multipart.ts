import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { hasAwsCli, runAws } from '../emulator/test-support/aws-cli.ts';
import { resetPeak } from './lib/child.ts';
import type { BenchContext } from './lib/context.ts';
import { benchError } from './lib/errors.ts';
import { GiB, MiB, payloadChunks } from './lib/payload.ts';
import { sizeLabel } from './lib/plan.ts';
import { meets, withRatios, type Figure, type Row } from './lib/results.ts';
import { summarize } from './lib/stats.ts';
import { startUploadServer, UPLOAD_BUCKET, type UploadServer } from './lib/upload-servers.ts';

const FLOOR = 'cp + sync';
const PEER = 's3rver';

/** 100 MiB and 1 GiB; `--quick` no 1 GiB; the plumbing test's tiny plan just past the CLI's 8 MiB threshold. */
const sizesFor = (ctx: BenchContext) =>
  ctx.plan.tiny ? [9 * MiB] : ctx.plan.quick ? [100 * MiB] : [100 * MiB, GiB];
const runsFor = (ctx: BenchContext, size: number) =>
  size >= GiB ? ctx.plan.runsAt1GiB : ctx.plan.tiny ? 1 : Math.min(ctx.plan.runs, 3);

async function writePayload(file: string, size: number): Promise<void> {
  const out = createWriteStream(file);
  for (const chunk of payloadChunks(size)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Wall time of one command, ms. */
function timed(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(command, args, (err) => (err ? reject(err) : resolve(performance.now() - started))),
  );
}

/** `aws s3 cp FILE s3://bucket/key` with the CLI's default multipart settings; ms. */
async function cliUpload(server: UploadServer, file: string, key: string): Promise<number> {
  const endpoint = server.child.ready.url.replace('//localhost:', '//127.0.0.1:');
  const secret = server.kind === 's3rver' ? 'S3RVER' : 'test';
  const started = performance.now();
  const result = await runAws(endpoint, ['s3', 'cp', file, `s3://${UPLOAD_BUCKET}/${key}`, '--no-progress'], {
    AWS_ACCESS_KEY_ID: secret,
    AWS_SECRET_ACCESS_KEY: secret,
  });
  if (result.code !== 0)
    throw benchError(
      'LAB_BENCH_FAILED',
      `aws s3 cp to ${server.kind} failed: ${result.stderr.slice(0, 300)}`,
    );
  return performance.now() - started;
}

/**
 * `aws s3 cp` of a file large enough for multipart upload, into the local AWS beside s3rver and
 * beside a local `cp` + `sync` of the same file (the floor: the bytes written once and flushed),
 * run after run in turn; then each server's peak RSS per size.
 */
export async function benchMultipart(ctx: BenchContext): Promise<Figure> {
  if (!hasAwsCli)
    throw benchError('LAB_BENCH_SETUP', 'the multipart figure needs the AWS CLI v2 at /usr/bin/aws');
  const rows: Row[] = [];
  const peaks: Row[] = [];
  const servers: UploadServer[] = [];
  const file = path.join(ctx.dir, 'multipart-payload.bin');
  const copy = path.join(ctx.dir, 'multipart-copy.bin');
  try {
    servers.push(await startUploadServer('local AWS', path.join(ctx.dir, 'multipart-local')));
    servers.push(await startUploadServer('s3rver', path.join(ctx.dir, 'multipart-s3rver')));
    for (const size of sizesFor(ctx)) {
      await writePayload(file, size);
      const runs = runsFor(ctx, size);
      ctx.log(`multipart: aws s3 cp ${sizeLabel(size)} × ${runs} per server`);
      await Promise.all(servers.map((s) => resetPeak(s.child.pid)));
      const rates: number[][] = [[], [], []];
      for (let run = 0; run < runs; run++) {
        for (const [i, server] of servers.entries())
          rates[i]!.push(size / MiB / ((await cliUpload(server, file, `bench/multipart-${size}`)) / 1000));
        await rm(copy, { force: true });
        rates[2]!.push(
          size / MiB / ((await timed('sh', ['-c', 'cp "$0" "$1" && sync "$1"', file, copy])) / 1000),
        );
      }
      const peak = await Promise.all(servers.map(async (s) => (await s.child.memory())?.peakMiB));
      rows.push(
        withRatios({
          label: `aws s3 cp ${sizeLabel(size)}`,
          unit: 'MiB/s',
          better: 'higher',
          ours: summarize(rates[0]!),
          baselines: { [PEER]: summarize(rates[1]!), [FLOOR]: summarize(rates[2]!) },
        }),
      );
      const one = (v: number | undefined) => (v === undefined ? undefined : summarize([v]));
      peaks.push(
        withRatios({
          label: `server peak RSS, ${sizeLabel(size)}`,
          unit: 'MiB',
          better: 'lower',
          ours: one(peak[0]),
          baselines: { [PEER]: one(peak[1]) },
        }),
      );
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(servers.map((s) => rm(s.dirOf, { recursive: true, force: true })));
    await rm(file, { force: true });
    await rm(copy, { force: true });
  }
  const at100 = peaks[0]?.ours?.median;
  const atGiB = peaks[1];
  if (atGiB && at100 !== undefined)
    atGiB.target = {
      text: 'flat: ≤ 100 MiB figure + 16',
      met: meets(atGiB.ours?.median, 'lower', at100 + 16),
    };
  return {
    id: 'multipart',
    title: 'aws s3 cp (multipart upload): throughput, server memory',
    ours: 'local AWS',
    baselineNames: [PEER, FLOOR],
    rows: [...rows, ...peaks],
    notes: [
      `AWS CLI v2 defaults (8 MiB parts, 10 concurrent requests); each time is the whole aws process, its start-up included. ${FLOOR}: the same file copied on the same disk and flushed, the floor for any server that stores it durably.`,
      'The local AWS syncs every part before answering and, at CompleteMultipartUpload, streams the parts into one data file (synced, renamed, then one journal record) and computes the CRC64NVME S3 gives an object uploaded without a checksum; s3rver 3.7.1 syncs nothing and computes no checksum.',
    ],
  };
}
