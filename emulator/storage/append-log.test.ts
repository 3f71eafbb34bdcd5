import { appendFile, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppendLog, type RecordSpan } from './append-log.ts';
import { HEADER_BYTES } from './log-format.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'append-log-'));
  dirs.push(dir);
  return dir;
}

/** Opens the log in `dir` and returns it with the payloads it replayed, as text. */
async function reopen(dir: string): Promise<{ log: AppendLog; seen: string[]; spans: RecordSpan[] }> {
  const seen: string[] = [];
  const spans: RecordSpan[] = [];
  const log = await AppendLog.open(dir, (payload, span) => {
    seen.push(payload.toString('utf8'));
    spans.push(span);
  });
  return { log, seen, spans };
}

const text = (s: string) => [Buffer.from(s, 'utf8')];

describe('AppendLog', () => {
  it('groups concurrent appends into few batches, applies them in order, and replays them all', async () => {
    const dir = await freshDir();
    const { log } = await reopen(dir);
    const applied: string[] = [];
    const names = Array.from({ length: 200 }, (_, i) => `record-${i}-${'x'.repeat(i)}`);
    const spans = await Promise.all(names.map((n) => log.append(text(n), () => applied.push(n))));
    expect(applied).toEqual(names);
    // 200 appends issued at once: the first batch holds one, the next holds all the others.
    expect(log.batches).toBeLessThanOrEqual(3);
    expect(spans.map((s) => s.offset)).toEqual([...spans.map((s) => s.offset)].sort((a, b) => a - b));
    await log.close();
    const again = await reopen(dir);
    expect(again.seen).toEqual(names);
    expect(again.spans).toEqual(spans);
    await again.log.close();
  });

  it('cuts off a torn tail at start, and later appends follow the last intact record', async () => {
    const dir = await freshDir();
    const { log } = await reopen(dir);
    await log.append(text('one'), () => undefined);
    const two = await log.append(text('two'), () => undefined);
    await log.close();
    const file = join(dir, 'journal.1.log');
    // A crash mid-append: the header of a third record and half its payload.
    await appendFile(
      file,
      Buffer.concat([Buffer.from('4c41424a000000100000000068', 'hex'), Buffer.from('half')]),
    );
    let again = await reopen(dir);
    expect(again.seen).toEqual(['one', 'two']);
    expect((await stat(file)).size).toBe(two.offset + two.length);
    await again.log.append(text('three'), () => undefined);
    await again.log.close();
    again = await reopen(dir);
    expect(again.seen).toEqual(['one', 'two', 'three']);
    await again.log.close();
  });

  it('stops at a record whose bytes do not match its CRC', async () => {
    const dir = await freshDir();
    const { log } = await reopen(dir);
    await log.append(text('kept'), () => undefined);
    const bad = await log.append(text('flipped'), () => undefined);
    await log.append(text('after'), () => undefined);
    await log.close();
    const file = join(dir, 'journal.1.log');
    const bytes = await readFile(file);
    const at = bad.offset + HEADER_BYTES;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    await writeFile(file, bytes);
    const again = await reopen(dir);
    expect(again.seen).toEqual(['kept']);
    await again.log.close();
  });

  it('reads a file cut anywhere as its whole records before the cut', async () => {
    const dir = await freshDir();
    const { log } = await reopen(dir);
    const spans: RecordSpan[] = [];
    for (const n of ['a', 'bb', 'ccc', 'dddd']) spans.push(await log.append(text(n), () => undefined));
    await log.close();
    const file = join(dir, 'journal.1.log');
    const full = await readFile(file);
    for (let cut = 0; cut <= full.length; cut++) {
      await writeFile(file, full.subarray(0, cut));
      const again = await reopen(dir);
      const whole = spans.filter((s) => s.offset + s.length <= cut).length;
      expect(again.seen).toEqual(['a', 'bb', 'ccc', 'dddd'].slice(0, whole));
      await again.log.close();
    }
  });

  it('compacts into the next generation, moves the live records, and keeps appending there', async () => {
    const dir = await freshDir();
    const { log } = await reopen(dir);
    const spans = new Map<string, RecordSpan>();
    for (const n of ['dead-1', 'live-1', 'dead-2', 'live-2'])
      spans.set(n, await log.append(text(n), () => undefined));
    let switched: { moved: Map<number, number>; file: string } | undefined;
    const pending = log.append(text('queued-during'), () => undefined);
    await log.compact(
      () => [spans.get('live-1')!, spans.get('live-2')!],
      (moved, file) => (switched = { moved, file }),
    );
    await pending;
    expect(switched?.file).toBe('journal.2.log');
    expect(log.file).toBe('journal.2.log');
    expect(switched?.moved.get(spans.get('live-1')!.offset)).toBe(0);
    await log.append(text('after'), () => undefined);
    await log.close();
    expect((await readdir(dir)).sort()).toEqual(['journal.2.log']);
    const again = await reopen(dir);
    // The append queued before the compaction was durable in the old file, so it was not live.
    expect(again.seen).toEqual(['live-1', 'live-2', 'after']);
    await again.log.close();
  });

  it('opens the newest generation and drops older ones (a crash after a compaction)', async () => {
    const dir = await freshDir();
    const { log } = await reopen(dir);
    await log.append(text('x'), () => undefined);
    await log.close();
    await rename(join(dir, 'journal.1.log'), join(dir, 'journal.3.log'));
    await writeFile(join(dir, 'journal.2.log'), 'older');
    await writeFile(join(dir, 'journal.1.log'), 'oldest');
    const again = await reopen(dir);
    expect(again.log.file).toBe('journal.3.log');
    expect(again.seen).toEqual(['x']);
    expect(await readdir(dir)).toEqual(['journal.3.log']);
    await again.log.close();
  });

  it('refuses appends once closed', async () => {
    const dir = await freshDir();
    const { log } = await reopen(dir);
    await log.close();
    await expect(log.append(text('late'), () => undefined)).rejects.toThrow(/closed/);
  });
});
