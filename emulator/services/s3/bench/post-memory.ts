#!/usr/bin/env tsx
// Measures the emulator's memory while a browser-style POST streams a large file into S3:
//   npx tsx emulator/services/s3/bench/post-memory.ts [--mib 1024]
// The emulator runs in a child process; its RSS is sampled from /proc while the upload runs.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { startChildEmulator } from '../../../test-support/child-emulator.ts';
import { s3Client } from '../../../test-support/clients.ts';

const { values } = parseArgs({ options: { mib: { type: 'string', default: '1024' } } });
const MIB = 1024 * 1024;
const size = Number(values.mib) * MIB;

/** Resident and peak resident memory of a process, in MiB (Linux). */
async function memory(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Streams a multipart form: the fields, then `size` bytes of file; resolves with status and client-side MD5. */
function streamPost(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: string; md5: string }> {
  const boundary = '----lab-bench-boundary';
  const head = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const fileHead = `${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const target = new URL(url);
  const chunk = Buffer.alloc(MIB);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31) & 0xff;
  const md5 = createHash('md5');
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: Number(target.port),
      method: 'POST',
      path: target.pathname,
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': Buffer.byteLength(fileHead) + size + Buffer.byteLength(tail),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, md5: md5.digest('hex') }));
    });
    req.write(fileHead);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const piece = size - sent >= chunk.length ? chunk : chunk.subarray(0, size - sent);
        sent += piece.length;
        md5.update(piece);
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

const dataDir = await mkdtemp(join(tmpdir(), 's3-bench-'));
const child = await startChildEmulator(dataDir);
const s3 = s3Client(child.url);
try {
  const Bucket = 'bench-bucket';
  await s3.send(new CreateBucketCommand({ Bucket }));
  const ticket = (Key: string) =>
    createPresignedPost(s3, { Bucket, Key, Conditions: [['content-length-range', 1, 4 * 1024 * MIB]] });
  // Warm up: load every module on the POST path before taking the baseline.
  const warm = await ticket('warm-up');
  const form = new FormData();
  for (const [k, v] of Object.entries(warm.fields)) form.append(k, v);
  form.append('file', new Blob(['warm']), 'w.txt');
  await fetch(warm.url, { method: 'POST', body: form });
  const baseline = await memory(child.pid);

  let peak = baseline.rss;
  const sampler = setInterval(() => {
    memory(child.pid).then(
      (m) => (peak = Math.max(peak, m.rss)),
      () => undefined,
    );
  }, 50);
  const started = performance.now();
  const { url, fields } = await ticket('big.bin');
  const result = await streamPost(url, fields);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const after = await memory(child.pid);
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'big.bin' }));

  console.log(
    `upload: ${values.mib} MiB in ${seconds.toFixed(1)} s (${(size / MIB / seconds).toFixed(0)} MiB/s), status ${result.status}`,
  );
  console.log(`stored: ${head.ContentLength} bytes, ETag ${head.ETag} (client MD5 "${result.md5}")`);
  console.log(
    `emulator RSS: baseline ${baseline.rss.toFixed(0)} MiB, peak during upload ${peak.toFixed(0)} MiB (+${(peak - baseline.rss).toFixed(0)}), peak ever (VmHWM) ${after.hwm.toFixed(0)} MiB`,
  );
  const ok = result.status === 204 && head.ContentLength === size && head.ETag === `"${result.md5}"`;
  if (!ok) {
    console.error(`LAB_BENCH_FAILED: the upload did not round-trip (${result.body.slice(0, 300)})`);
    process.exitCode = 1;
  }
} finally {
  s3.destroy();
  await child.stop();
  await rm(dataDir, { recursive: true, force: true });
}
