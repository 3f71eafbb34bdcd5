import { Worker } from 'node:worker_threads';
import type { BodyDigest, DigestOptions, Digests } from './body-digest.ts';
import { crc64NvmeDigest, crc64NvmeTables, crc64NvmeUpdate } from './crc64-nvme.ts';

const SLOT_BYTES = 512 * 1024;
const SLOTS = 2;

/** The worker: hashes ring slots in the order they arrive, acknowledges each, digests on request. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { crc32 } = require('node:zlib');
const jobs = new Map();
${crc64NvmeTables.toString()}
${crc64NvmeUpdate.toString()}
let crc64Tables;
parentPort.on('message', (m) => {
  if (m.op === 'start') {
    jobs.set(m.id, {
      ring: Buffer.from(m.ring),
      md5: createHash('md5'),
      sha256: m.options.sha256 ? createHash('sha256') : undefined,
      sha1: m.options.sha1 ? createHash('sha1') : undefined,
      crc: m.options.crc32 ? 0 : undefined,
      crc64: m.options.crc64nvme ? new Int32Array([-1, -1]) : undefined,
    });
    if (m.options.crc64nvme) crc64Tables ??= crc64NvmeTables();
  } else if (m.op === 'update') {
    const job = jobs.get(m.id);
    const bytes = job.ring.subarray(m.slot * ${SLOT_BYTES}, m.slot * ${SLOT_BYTES} + m.length);
    job.md5.update(bytes);
    job.sha256?.update(bytes);
    job.sha1?.update(bytes);
    if (job.crc !== undefined) job.crc = crc32(bytes, job.crc);
    if (job.crc64) crc64NvmeUpdate(crc64Tables, job.crc64, bytes);
    parentPort.postMessage({ id: m.id, op: 'ack', slot: m.slot });
  } else if (m.op === 'digest') {
    const job = jobs.get(m.id);
    jobs.delete(m.id);
    parentPort.postMessage({
      id: m.id,
      op: 'digest',
      md5: job.md5.digest(),
      sha256: job.sha256?.digest(),
      sha1: job.sha1?.digest(),
      crc32: job.crc,
      crc64: job.crc64,
    });
  } else if (m.op === 'drop') jobs.delete(m.id);
});
`;

interface Reply {
  id: number;
  op: 'ack' | 'digest';
  slot?: number;
  md5?: Uint8Array;
  sha256?: Uint8Array;
  sha1?: Uint8Array;
  crc32?: number;
  /** The unfinalised CRC-64/NVME register, [low, high]. */
  crc64?: Int32Array;
}

let worker: Worker | undefined;
let nextId = 1;
const jobs = new Map<number, OffThreadDigest>();
/** Rings of finished jobs, reused (a ring is 1 MiB of shared memory). */
const spareRings: SharedArrayBuffer[] = [];

function hashWorker(): Worker {
  if (worker) return worker;
  // It only holds a few hashes: a small heap keeps its share of the server's memory small.
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
  });
  // Never keeps the process alive; it dies with it.
  started.unref();
  started.on('message', (reply: Reply) => jobs.get(reply.id)?.receive(reply));
  const fail = (err: unknown) => {
    if (worker === started) worker = undefined;
    for (const job of [...jobs.values()]) job.fail(err instanceof Error ? err : new Error(String(err)));
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the digest worker exited (${code})`)));
  worker = started;
  return started;
}

/**
 * MD5 (and any flexible checksum) of a large body computed on a worker thread, so that the
 * main thread only parses and writes while another core hashes. Chunks are copied into a ring
 * of two 512 KiB slots of shared memory; a full slot goes to the worker, which hashes it and
 * frees it. Memory stays at the ring's 1 MiB; `update` asks the caller to wait when both slots
 * are still being hashed.
 */
export class OffThreadDigest implements BodyDigest {
  private readonly id = nextId++;
  private readonly ring: SharedArrayBuffer;
  private readonly view: Buffer;
  private readonly busy: boolean[] = new Array<boolean>(SLOTS).fill(false);
  private slot = 0;
  private used = 0;
  private freed: (() => void) | undefined;
  private result: { resolve: (d: Digests) => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly worker: Worker;

  constructor(options: DigestOptions = {}) {
    this.ring = spareRings.pop() ?? new SharedArrayBuffer(SLOT_BYTES * SLOTS);
    this.view = Buffer.from(this.ring);
    this.worker = hashWorker();
    jobs.set(this.id, this);
    this.worker.postMessage({ op: 'start', id: this.id, ring: this.ring, options });
  }

  /** Adds `chunk`; returns a promise to wait for when the ring is full, else undefined. */
  update(chunk: Buffer): Promise<void> | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.failure) throw this.failure;
      if (this.busy[this.slot]) return this.waitThenUpdate(chunk.subarray(at));
      const n = Math.min(SLOT_BYTES - this.used, chunk.length - at);
      chunk.copy(this.view, this.slot * SLOT_BYTES + this.used, at, at + n);
      this.used += n;
      at += n;
      if (this.used === SLOT_BYTES) this.post();
    }
    return undefined;
  }

  /** The digests of everything added. */
  digest(): Promise<Digests> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.used > 0) this.post();
    return new Promise<Digests>((resolve, reject) => {
      this.result = { resolve, reject };
      this.worker.postMessage({ op: 'digest', id: this.id });
    });
  }

  /** Forgets the job (the body was refused or cut off). */
  abandon(): void {
    if (!jobs.delete(this.id)) return;
    this.worker.postMessage({ op: 'drop', id: this.id });
    // The worker may still read slots it was sent: the ring is not reused.
  }

  /** @internal a message from the worker */
  receive(reply: Reply): void {
    if (reply.op === 'ack') {
      this.busy[reply.slot!] = false;
      const wake = this.freed;
      this.freed = undefined;
      wake?.();
      return;
    }
    jobs.delete(this.id);
    spareRings.push(this.ring);
    this.result?.resolve({
      md5: Buffer.from(reply.md5!),
      ...(reply.sha256 ? { sha256: Buffer.from(reply.sha256) } : {}),
      ...(reply.sha1 ? { sha1: Buffer.from(reply.sha1) } : {}),
      ...(reply.crc32 !== undefined ? { crc32: reply.crc32 } : {}),
      ...(reply.crc64 ? { crc64nvme: crc64NvmeDigest(reply.crc64) } : {}),
    });
  }

  /** @internal the worker died */
  fail(err: Error): void {
    this.failure = err;
    jobs.delete(this.id);
    this.freed?.();
    this.result?.reject(err);
  }

  private post(): void {
    this.busy[this.slot] = true;
    this.worker.postMessage({ op: 'update', id: this.id, slot: this.slot, length: this.used });
    this.slot = (this.slot + 1) % SLOTS;
    this.used = 0;
  }

  private async waitThenUpdate(rest: Buffer): Promise<void> {
    while (this.busy[this.slot] && !this.failure)
      await new Promise<void>((resolve) => (this.freed = resolve));
    await this.update(rest);
  }
}
