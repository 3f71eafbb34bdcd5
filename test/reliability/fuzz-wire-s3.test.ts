import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../emulator/test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../emulator/test-support/start-test-emulator.ts';
import { FUZZ_SEED, printFigures, scaled } from './support/fuzz-scale.ts';
import { signedPostCases } from './support/post-policy-fuzz.ts';
import { StoreGuard } from './support/store-guard.ts';
import { s3Templates } from './support/templates-s3.ts';
import { countCase, countOf, figuresOf, fuzzInBatches, newTally } from './support/wire-batches.ts';
import { oversized, sendCase, wireCases } from './support/wire-fuzz.ts';

/**
 * Malformed requests to every S3 operation the lab uses, POST Object and the CORS preflight
 * included, over raw TCP: every answer is a complete, well-formed S3 error (or a success when
 * the mutation happened to be valid), and after each batch the local AWS is healthy, its canary
 * objects are byte-identical, their listing unchanged, and no temp or orphan file is left.
 */
let emulator: TestEmulator;
let s3: S3Client;
let guard: StoreGuard;
const bucket = `fuzz-${randomBytes(4).toString('hex')}`;
const tally = newTally(0);

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          {
            AllowedOrigins: ['http://localhost:5173'],
            AllowedMethods: ['POST', 'GET'],
            AllowedHeaders: ['*'],
          },
        ],
      },
    }),
  );
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/fuzz.txt', Body: 'hello' }));
  guard = await StoreGuard.arm(emulator.url, emulator.dataDir, s3);
  tally.canaries = guard.canaryCount;
});
afterAll(async () => {
  printFigures('fuzz-wire-s3', figuresOf(tally));
  s3?.destroy();
  await emulator?.stop();
});

describe('S3 on the wire, under malformed input', () => {
  it('answers generated malformed requests to every S3 operation with S3 errors, store intact', async () => {
    const cases = fc.sample(wireCases(s3Templates(bucket)), { numRuns: scaled(500), seed: FUZZ_SEED });
    const seen = { problems: tally.problems.length, damage: tally.damage.length };
    await fuzzInBatches(emulator.port, guard, cases, tally);
    expect(tally.problems.slice(seen.problems)).toEqual([]);
    expect(tally.damage.slice(seen.damage)).toEqual([]);
  });

  it('answers really-signed POST forms whose policies are generated, store intact', async () => {
    const cases = fc.sample(signedPostCases(bucket), { numRuns: scaled(250), seed: FUZZ_SEED + 1 });
    const seen = { problems: tally.problems.length, damage: tally.damage.length };
    await fuzzInBatches(emulator.port, guard, cases, tally);
    expect(tally.problems.slice(seen.problems)).toEqual([]);
    expect(tally.damage.slice(seen.damage)).toEqual([]);
  });

  it('answers 17 MiB bodies to configuration, delete and POST operations with 4xx, and stores a big PutObject', async () => {
    const templates = s3Templates(bucket);
    for (const op of ['PutBucketCors', 'PutBucketTagging', 'DeleteObjects', 'PostObject', 'PutObject']) {
      const template = templates.find((t) => t.op === op)!;
      const verdict = await sendCase(emulator.port, oversized(template));
      countCase(tally, 'framing', verdict.status);
      expect(verdict.problem, op).toBeUndefined();
      if (op === 'PutObject') expect(verdict.status, op).toBe(200);
      else expect(verdict.status, `${op} ${verdict.code}`).toBeGreaterThanOrEqual(400);
    }
    expect(await guard.settle()).toMatchObject({
      healthy: true,
      lost: [],
      listingChanged: false,
      strayFiles: [],
    });
  });

  it('reached the operations, not only the front door: parsers, policies, signatures, and successes', () => {
    expect(countOf(tally, ['MalformedXML', 'MalformedPOSTRequest']), 'parser errors').toBeGreaterThan(0);
    expect(countOf(tally, ['InvalidPolicyDocument', 'AccessDenied']), 'policy errors').toBeGreaterThan(0);
    expect(countOf(tally, ['SignatureDoesNotMatch', 'AuthorizationHeaderMalformed'])).toBeGreaterThan(0);
    expect(tally.classes.get('2xx') ?? 0).toBeGreaterThan(0);
    expect(tally.cases).toBeGreaterThanOrEqual(scaled(750));
  });
});
