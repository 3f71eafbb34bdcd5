/**
 * The floor for uploads: `node scripts/run.mjs bench/servers/sink.ts DIR`. A minimal streaming
 * receiver of S3-style POST forms — node:http and busboy — that writes the `file` part to DIR/<key>
 * while computing its MD5 inline, as any S3 must for the ETag, and answers 204 with that ETag. It
 * checks no signature or policy and keeps no index: everything an S3 does beyond moving bytes is
 * left out.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { announce, stopWith } from '../lib/child.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: sink.ts DIR');
await mkdir(dir, { recursive: true });

const server = createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(405).end();
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers });
  } catch {
    return void res.writeHead(400).end();
  }
  let key = 'unnamed';
  let stored: Promise<string> | undefined;
  parser.on('field', (name, value) => {
    if (name === 'key') key = value.replace(/[^\w.-]/g, '_');
  });
  parser.on('file', (name, file) => {
    if (name !== 'file' || stored) return void file.resume();
    const md5 = createHash('md5');
    file.on('data', (chunk: Buffer) => md5.update(chunk));
    stored = pipeline(file, createWriteStream(join(dir, key))).then(() => md5.digest('hex'));
  });
  parser.once('close', () => {
    if (!stored) return void res.writeHead(400).end();
    stored.then(
      (etag) => res.writeHead(204, { etag: `"${etag}"` }).end(),
      () => res.writeHead(500).end(),
    );
  });
  parser.once('error', () => res.writeHead(400).end());
  req.pipe(parser);
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () =>
  announce({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
);
stopWith(() => {
  server.closeAllConnections();
  server.close();
});
