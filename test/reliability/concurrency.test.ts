import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../emulator/test-support/start-test-emulator.ts';
import { printFigures, reliabilityScale, scaled } from './support/soak-figures.ts';
import { startSolutionStack, type SolutionStack } from './support/solution-stack.ts';
import {
  inParallel,
  postWithTicket,
  randomFile,
  requestTicket,
  type PlannedFile,
  type Ticket,
} from './support/ticket-uploads.ts';
import {
  duplicates,
  listKeys,
  objectProblems,
  recordProblems,
  waitForRecords,
  type FileRecord,
} from './support/upload-audit.ts';
import {
  oneShotS3,
  plannedPut,
  send,
  storedVersions,
  versionedBucket,
  versionProblems,
  type VersionedWrite,
} from './support/versioned-writes.ts';

/** Uploads at once: all of them up to this many (enough for 200 to overlap on a 2-core machine). */
const PARALLEL = 100;

describe('200 tickets and uploads in parallel, through the HTTP API and S3', () => {
  let stack: SolutionStack;
  beforeAll(async () => {
    stack = await startSolutionStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it(
    'stores every object and every record exactly once, byte for byte',
    async () => {
      const count = scaled(200);
      // Distinct random content, 1 KiB to 64 KiB; names may repeat, keys must not.
      const files = Array.from({ length: count }, (_, i) =>
        randomFile(`load-${i % 50}.txt`, 1024 + Math.floor(Math.random() * 63 * 1024)),
      );
      let postsInFlight = 0;
      let peakPosts = 0;
      const { results, peak } = await inParallel(files, PARALLEL, async (file) => {
        const ticket = await requestTicket(stack.outputs, file);
        postsInFlight++;
        peakPosts = Math.max(peakPosts, postsInFlight);
        const posted = await postWithTicket(ticket, file).finally(() => postsInFlight--);
        return { file, ticket, posted };
      });

      const refused = results.filter((r) => r.posted.status !== 204 && r.posted.status !== 201);
      expect(
        refused.map((r) => `${r.ticket.object_key}: ${r.posted.status} ${r.posted.error ?? r.posted.body}`),
      ).toEqual([]);
      expect(peak).toBeGreaterThanOrEqual(Math.min(50, count));
      const keys = results.map((r) => r.ticket.object_key);
      expect(duplicates(keys)).toEqual([]);

      const { outputs, s3 } = stack;
      const stored = await listKeys(s3, outputs.bucket, outputs.uploadPrefix);
      expect(duplicates(stored)).toEqual([]);
      expect([...stored].sort()).toEqual([...keys].sort());
      const byKey = new Map<string, { file: PlannedFile; ticket: Ticket }>(
        results.map((r) => [r.ticket.object_key, r]),
      );
      const objectIssues = (
        await inParallel(keys, 16, (key) => objectProblems(s3, outputs.bucket, key, byKey.get(key)!.file))
      ).results.flat();
      expect(objectIssues).toEqual([]);

      const records = await waitForRecords(s3, outputs, keys, 60_000 * Math.max(1, count / 200));
      const recordIssues = keys.flatMap((key) => recordProblems(records.get(key), key, byKey.get(key)!.file));
      expect(recordIssues).toEqual([]);
      const recordKeys = await listKeys(s3, outputs.bucket, outputs.metadataPrefix);
      expect(recordKeys).toHaveLength(count);
      expect(duplicates(recordKeys)).toEqual([]);

      const listed = await filesPage(outputs.apiEndpoint, 100);
      expect(listed.count).toBe(Math.min(100, count));
      expect(duplicates(listed.files.map((f) => f.key))).toEqual([]);
      for (const file of listed.files) expect(file).toEqual(records.get(file.key));
      const times = listed.files.map((f) => Date.parse(f.uploadedAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      if (count <= 1000) {
        // GET /files reads the newest 1000 records; below that it must show exactly the newest 100.
        const newest = [...records.values()]
          .sort((a, b) => Date.parse(b.uploadedAt) - Date.parse(a.uploadedAt) || a.key.localeCompare(b.key))
          .slice(0, 100);
        expect(listed.files.map((f) => f.key)).toEqual(newest.map((r) => r.key));
      }

      const lost = objectIssues.length + recordIssues.length + (count - stored.length);
      printFigures('concurrency', {
        cases: count,
        faults: 0,
        lost,
        peakInFlight: peak,
        peakPosts,
        records: records.size,
        bytes: files.reduce((n, f) => n + f.body.length, 0),
      });
    },
    120_000 * reliabilityScale(),
  );
});

describe('versioned writes, delete markers and tag updates on the same keys in parallel', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it(
    'keeps every version exactly once, in order, with its bytes and tags',
    async () => {
      const s3 = oneShotS3(emulator.url);
      const Bucket = 'concurrent-versions';
      await versionedBucket(s3, Bucket);
      const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
      // Each key's first version is acknowledged before the race; its one tag update races the rest.
      const seeds = keys.map((key) => plannedPut(key, 1));
      await Promise.all(seeds.map((w) => send(s3, Bucket, w)));
      const perKey = Math.max(1, Math.round(scaled(200) / keys.length));
      const race: VersionedWrite[] = keys.flatMap((key, k) => [
        ...Array.from({ length: perKey }, (_, i) => plannedPut(key, i + 2)),
        {
          kind: 'tag' as const,
          key,
          versionId: (seeds[k] as { acked: { versionId: string } }).acked.versionId,
          value: `t${k}`,
        },
        { kind: 'delete' as const, key },
      ]);
      // Shuffled, so that each key's puts, tag update and delete interleave.
      race.sort(() => Math.random() - 0.5);
      const { results, peak } = await inParallel(race, PARALLEL, (w) => send(s3, Bucket, w));
      expect(results.filter((ok) => !ok)).toEqual([]);
      expect(peak).toBeGreaterThanOrEqual(Math.min(50, race.length));

      const stored = await storedVersions(s3, Bucket);
      const problems = versionProblems([...seeds, ...race], stored);
      expect(problems).toEqual([]);
      expect(stored).toHaveLength(seeds.length + race.filter((w) => w.kind !== 'tag').length);
      // A tag update rewrites its version's record but keeps its place: each seed is still its key's oldest.
      for (const [k, key] of keys.entries())
        expect(stored.filter((v) => v.key === key && !v.marker).at(-1)?.versionId).toBe(
          (seeds[k] as { acked: { versionId: string } }).acked.versionId,
        );
      s3.destroy();
      printFigures('concurrency-versions', {
        cases: seeds.length + race.length,
        faults: 0,
        lost: problems.length,
        peakInFlight: peak,
        versions: stored.filter((v) => !v.marker).length,
        markers: stored.filter((v) => v.marker).length,
        tags: stored.filter((v) => v.tag !== undefined).length,
      });
    },
    120_000 * reliabilityScale(),
  );
});

async function filesPage(
  apiEndpoint: string,
  limit: number,
): Promise<{ files: FileRecord[]; count: number }> {
  const res = await fetch(`${apiEndpoint}/files?limit=${limit}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /files answered ${res.status}: ${text}`);
  return JSON.parse(text) as { files: FileRecord[]; count: number };
}
