import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function filesPage(
  apiEndpoint: string,
  limit: number,
): Promise<{ files: FileRecord[]; count: number }> {
  const res = await fetch(`${apiEndpoint}/files?limit=${limit}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /files answered ${res.status}: ${text}`);
  return JSON.parse(text) as { files: FileRecord[]; count: number };
}
