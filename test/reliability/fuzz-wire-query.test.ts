import fc from 'fast-check';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../emulator/test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../emulator/test-support/start-test-emulator.ts';
import { createQueryTargets } from './support/fuzz-targets.ts';
import { FUZZ_SEED, printFigures, scaled } from './support/fuzz-scale.ts';
import { StoreGuard } from './support/store-guard.ts';
import { queryTemplates } from './support/templates-query.ts';
import { countCase, countOf, figuresOf, fuzzInBatches, newTally } from './support/wire-batches.ts';
import { oversized, sendCase, wireCases } from './support/wire-fuzz.ts';

/**
 * Malformed AWS Query requests to every IAM and STS operation the lab uses (form bodies with
 * garbage parameters and broken policy documents, GET queries, broken SigV4, lying framing):
 * every answer is a well-formed `<ErrorResponse>` (or S3's, for what never reached IAM/STS),
 * and after each batch the local AWS is healthy and its canary objects intact.
 */
let emulator: TestEmulator;
let s3: S3Client;
let guard: StoreGuard;
const role = 'fuzz-query-role';
let policyArn = '';
const tally = newTally(0);

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  policyArn = await createQueryTargets(emulator.url, role);
  guard = await StoreGuard.arm(emulator.url, emulator.dataDir, s3);
  tally.canaries = guard.canaryCount;
});
afterAll(async () => {
  printFigures('fuzz-wire-query', figuresOf(tally));
  s3?.destroy();
  await emulator?.stop();
});

describe('IAM and STS on the wire, under malformed input', () => {
  it('answers generated malformed Query requests with Query errors, store intact', async () => {
    const cases = fc.sample(wireCases(queryTemplates(role, policyArn)), {
      numRuns: scaled(400),
      seed: FUZZ_SEED,
    });
    const seen = { problems: tally.problems.length, damage: tally.damage.length };
    await fuzzInBatches(emulator.port, guard, cases, tally);
    expect(tally.problems.slice(seen.problems)).toEqual([]);
    expect(tally.damage.slice(seen.damage)).toEqual([]);
  });

  it('answers 17 MiB bodies to IAM and STS with 413 in their own error format', async () => {
    for (const op of ['CreateRole', 'PutRolePolicy', 'AssumeRole']) {
      const template = queryTemplates(role, policyArn).find((t) => t.op === op)!;
      const verdict = await sendCase(emulator.port, oversized(template));
      countCase(tally, 'framing', verdict.status);
      expect(verdict.problem, op).toBeUndefined();
      expect(verdict).toMatchObject({ status: 413, shape: 'query' });
    }
    expect(await guard.settle()).toMatchObject({
      healthy: true,
      lost: [],
      listingChanged: false,
      strayFiles: [],
    });
  });

  it('reached the operations: parameter, policy and entity errors, signature errors, and successes', () => {
    const model = ['InvalidParameterValue', 'ValidationError', 'MalformedPolicyDocument', 'NoSuchEntity'];
    expect(countOf(tally, model), 'IAM/STS model errors').toBeGreaterThan(0);
    expect(countOf(tally, ['SignatureDoesNotMatch', 'InvalidClientTokenId'])).toBeGreaterThan(0);
    expect(tally.classes.get('2xx') ?? 0).toBeGreaterThan(0);
    expect(tally.cases).toBeGreaterThanOrEqual(scaled(400));
  });
});
