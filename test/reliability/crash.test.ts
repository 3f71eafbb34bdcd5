import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabOutputs } from '../../checks/lib/outputs.ts';
import { spawnEmulator, survivingWorkers, type CrashableEmulator } from './support/crash-emulator.ts';
import { crashPlan, uploadThroughCrash, type CrashedUpload } from './support/crash-round.ts';
import { printFigures, reliabilityScale, scaled } from './support/soak-figures.ts';
import { deploySolution, freePort, rootS3 } from './support/solution-stack.ts';
import { inParallel, md5Hex, recordKeyFor } from './support/ticket-uploads.ts';
import { duplicates, listKeys, readObject, recordProblems, waitForRecords } from './support/upload-audit.ts';
import {
  oneShotS3,
  plannedPut,
  send,
  storedVersions,
  versionedBucket,
  versionProblems,
  type VersionedWrite,
} from './support/versioned-writes.ts';

/**
 * Every other round holds the pipeline back (the metadata function's HeadObject is throttled and
 * S3 waits a minute before retrying), so that every acknowledged upload's event is still queued
 * when the emulator dies and must be delivered by the next start.
 */
const HOLD_EVENTS = { EMULATOR_FAULTS: 'throttle:s3.HeadObject:1', S3_EVENT_RETRY_DELAYS_MS: '60000,60000' };

describe('SIGKILL with 50 uploads in flight, then a restart on the same data', () => {
  let dir: string;
  let dataDir: string;
  let port: number;
  let emulator: CrashableEmulator | undefined;
  let outputs: LabOutputs;
  let s3: S3Client;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-crash-'));
    dataDir = join(dir, 'aws');
    port = await freePort();
    emulator = await spawnEmulator(dataDir, port);
    outputs = await deploySolution(emulator.url, `http://localhost:${await freePort()}`);
    s3 = rootS3(emulator.url);
  });
  afterAll(async () => {
    s3?.destroy();
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'keeps every acknowledged upload intact, shows no partial object, and delivers the pending events',
    async () => {
      const rounds = scaled(2);
      const all: CrashedUpload[] = [];
      const figures = {
        acknowledged: 0,
        unacknowledgedStored: 0,
        absent: 0,
        pendingEvents: 0,
        workersKilled: 0,
        orphans: 0,
      };
      for (let round = 0; round < rounds; round++) {
        const holdEvents = round % 2 === 1;
        if (holdEvents) {
          await emulator!.stop();
          emulator = await spawnEmulator(dataDir, port, HOLD_EVENTS);
        }
        const crashed = await uploadThroughCrash(emulator!, outputs, crashPlan(round), dataDir);
        emulator = undefined;
        // The dead emulator's Lambda workers notice their channel closed and exit.
        const orphans = await survivingWorkers(crashed.workerPids);
        expect(orphans).toEqual([]);
        expect(crashed.workerPids.length).toBeGreaterThan(0);
        figures.workersKilled += crashed.workerPids.length;
        figures.orphans += orphans.length;
        emulator = await spawnEmulator(dataDir, port);

        const acknowledged = crashed.uploads.filter((u) => u.outcome.status >= 200 && u.outcome.status < 300);
        expect(acknowledged.length, 'some uploads must finish before the kill').toBeGreaterThan(0);
        expect(acknowledged.length, 'some uploads must be cut off').toBeLessThan(crashed.uploads.length);
        if (holdEvents) expect(crashed.pendingEvents).toBeGreaterThanOrEqual(acknowledged.length);

        const seen = await inParallel(crashed.uploads, 8, async (u) => {
          const data = await readObject(s3, outputs.bucket, u.ticket.object_key);
          const intact =
            data !== undefined && md5Hex(data) === u.file.md5 && data.length === u.file.body.length;
          return { u, present: data !== undefined, intact };
        });
        const acked = (u: CrashedUpload) => u.outcome.status >= 200 && u.outcome.status < 300;
        // Acknowledged: present and byte-identical. Not acknowledged: absent, or complete and identical.
        expect(seen.results.filter((s) => acked(s.u) && !s.intact).map((s) => s.u.ticket.object_key)).toEqual(
          [],
        );
        expect(seen.results.filter((s) => s.present && !s.intact).map((s) => s.u.ticket.object_key)).toEqual(
          [],
        );
        expect(seen.results.filter((s) => s.u.held && s.present).map((s) => s.u.ticket.object_key)).toEqual(
          [],
        );

        all.push(...seen.results.filter((s) => s.present).map((s) => s.u));
        figures.acknowledged += acknowledged.length;
        figures.unacknowledgedStored += seen.results.filter((s) => s.present && !acked(s.u)).length;
        figures.absent += seen.results.filter((s) => !s.present).length;
        figures.pendingEvents += crashed.pendingEvents;
      }

      // The bucket shows the stored uploads and their records, and nothing else (no temp files).
      const storedKeys = all.map((u) => u.ticket.object_key);
      const everything = await listKeys(s3, outputs.bucket, '');
      expect(duplicates(everything)).toEqual([]);
      const uploads = everything.filter((k) => k.startsWith(outputs.uploadPrefix));
      expect([...uploads].sort()).toEqual([...storedKeys].sort());
      const records = await waitForRecords(s3, outputs, storedKeys, 60_000 * reliabilityScale());
      expect(
        all.flatMap((u) => recordProblems(records.get(u.ticket.object_key), u.ticket.object_key, u.file)),
      ).toEqual([]);
      expect(
        everything.filter(
          (k) => !k.startsWith(outputs.uploadPrefix) && !k.startsWith(outputs.metadataPrefix),
        ),
      ).toEqual([]);
      // One record per stored upload, none for an upload that never landed.
      const recordKeys = await listKeys(s3, outputs.bucket, outputs.metadataPrefix);
      expect([...recordKeys].sort()).toEqual(storedKeys.map((k) => recordKeyFor(outputs, k)).sort());

      printFigures('crash', {
        cases: rounds * 50,
        faults: rounds + Math.floor(rounds / 2),
        lost: 0,
        kills: rounds,
        ...figures,
      });
    },
    150_000 * reliabilityScale(),
  );
});

describe('SIGKILL with versioned writes, delete markers and tag updates in flight, then a restart', () => {
  let dir: string;
  let emulator: CrashableEmulator | undefined;
  afterAll(async () => {
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'keeps every acknowledged version, marker and tag, and shows no torn version',
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'lab-crash-versions-'));
      const dataDir = join(dir, 'aws');
      const port = await freePort();
      emulator = await spawnEmulator(dataDir, port);
      let s3 = oneShotS3(emulator.url);
      const Bucket = 'crash-versions';
      await versionedBucket(s3, Bucket);
      const keys = Array.from({ length: 8 }, (_, i) => `doc-${i}`);
      // Before the round: two acknowledged versions of each key, the targets of its tag updates.
      const before = keys.flatMap((key) => [plannedPut(key, 0), plannedPut(key, 1)]);
      for (const write of before) expect(await send(s3, Bucket, write)).toBe(true);
      const targets = before.filter((w): w is Extract<VersionedWrite, { kind: 'put' }> => w.kind === 'put');
      const count = scaled(48);
      let tagged = 0;
      const round: VersionedWrite[] = Array.from({ length: count }, (_, i) => {
        const key = keys[i % keys.length]!;
        if (i % 6 === 5) return { kind: 'delete', key };
        // One update per earlier version, each with its own value: the last acknowledged must hold.
        const target = i % 3 === 1 && tagged < targets.length ? targets[tagged++] : undefined;
        if (target)
          return { kind: 'tag', key: target.key, versionId: target.acked!.versionId, value: `r${i}` };
        return plannedPut(key, i);
      });

      let answered = 0;
      let killed: Promise<void> | undefined;
      const crashing = emulator;
      await Promise.all(
        round.map(async (write) => {
          if (await send(s3, Bucket, write)) answered++;
          if (!killed && answered >= Math.ceil(count / 2)) killed = crashing.crash();
        }),
      );
      if (!killed) throw new Error('the writes ended before the emulator could be killed');
      await killed;
      s3.destroy();
      emulator = await spawnEmulator(dataDir, port);
      s3 = oneShotS3(emulator.url);

      const acked = round.filter((w) => w.acked);
      expect(acked.length, 'some writes must finish before the kill').toBeGreaterThan(0);
      expect(acked.length, 'some writes must be cut off').toBeLessThan(round.length);
      const stored = await storedVersions(s3, Bucket);
      const problems = versionProblems([...before, ...round], stored);
      expect(problems).toEqual([]);
      const ackedIds = new Set(
        [...before, ...round].flatMap((w) => (w.kind !== 'tag' && w.acked ? [w.acked.versionId] : [])),
      );
      s3.destroy();
      printFigures('crash-versions', {
        cases: before.length + round.length,
        faults: 1,
        lost: problems.length,
        kills: 1,
        acknowledgedVersions: acked.filter((w) => w.kind === 'put').length + before.length,
        acknowledgedMarkers: acked.filter((w) => w.kind === 'delete').length,
        acknowledgedTags: acked.filter((w) => w.kind === 'tag').length,
        unacknowledgedStored: stored.filter((v) => !ackedIds.has(v.versionId)).length,
        storedVersions: stored.length,
      });
    },
    120_000 * reliabilityScale(),
  );
});
