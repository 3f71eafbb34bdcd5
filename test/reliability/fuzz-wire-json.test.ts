import fc from 'fast-check';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../emulator/test-support/clients.ts';
import { startTestEmulator, type TestEmulator } from '../../emulator/test-support/start-test-emulator.ts';
import { createJsonTargets } from './support/fuzz-targets.ts';
import { FUZZ_SEED, printFigures, scaled } from './support/fuzz-scale.ts';
import { StoreGuard } from './support/store-guard.ts';
import { controlPlaneTemplates, dataPlaneTemplates, type JsonTargets } from './support/templates-json.ts';
import { countCase, countOf, figuresOf, fuzzInBatches, newTally } from './support/wire-batches.ts';
import { oversized, sendCase, wireCases } from './support/wire-fuzz.ts';

/**
 * Malformed requests to Lambda's control plane and Invoke, API Gateway v2's control plane, and an
 * HTTP API's execute-api data plane (CORS preflight included): every answer is a well-formed
 * REST-JSON error, or API Gateway's `{"message"}` on the data plane, and after each batch the
 * local AWS is healthy and its canary objects intact.
 */
let emulator: TestEmulator;
let s3: S3Client;
let guard: StoreGuard;
let targets: JsonTargets;
const tally = newTally(0);

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = s3Client(emulator.url);
  targets = await createJsonTargets(emulator.url, 'fuzz-json');
  guard = await StoreGuard.arm(emulator.url, emulator.dataDir, s3);
  tally.canaries = guard.canaryCount;
});
afterAll(async () => {
  printFigures('fuzz-wire-json', figuresOf(tally));
  s3?.destroy();
  await emulator?.stop();
});

describe('Lambda, API Gateway and execute-api on the wire, under malformed input', () => {
  it('answers generated malformed control-plane and Invoke requests with REST-JSON errors, store intact', async () => {
    const cases = fc.sample(wireCases(controlPlaneTemplates(targets)), {
      numRuns: scaled(400),
      seed: FUZZ_SEED,
    });
    const seen = { problems: tally.problems.length, damage: tally.damage.length };
    await fuzzInBatches(emulator.port, guard, cases, tally);
    expect(tally.problems.slice(seen.problems)).toEqual([]);
    expect(tally.damage.slice(seen.damage)).toEqual([]);
  });

  it('answers generated malformed HTTP API calls and preflights with API Gateway answers, store intact', async () => {
    const cases = fc.sample(wireCases(dataPlaneTemplates(targets)), {
      numRuns: scaled(400),
      seed: FUZZ_SEED + 1,
    });
    const seen = { problems: tally.problems.length, damage: tally.damage.length };
    await fuzzInBatches(emulator.port, guard, cases, tally);
    expect(tally.problems.slice(seen.problems)).toEqual([]);
    expect(tally.damage.slice(seen.damage)).toEqual([]);
  });

  it('answers 17 MiB bodies with 413 in each service’s own format', async () => {
    const all = [...controlPlaneTemplates(targets), ...dataPlaneTemplates(targets)];
    for (const op of ['CreateFunction', 'Invoke', 'UpdateFunctionCode', 'CreateApi', 'POST /echo']) {
      const template = all.find((t) => t.op === op)!;
      const verdict = await sendCase(emulator.port, oversized(template));
      countCase(tally, 'framing', verdict.status);
      expect(verdict.problem, op).toBeUndefined();
      expect(verdict.status, `${op} ${verdict.code}`).toBe(413);
      expect(verdict.shape).toBe(template.expect[0]);
    }
    expect(await guard.settle()).toMatchObject({
      healthy: true,
      lost: [],
      listingChanged: false,
      strayFiles: [],
    });
  });

  it('reached the operations: Lambda and API Gateway errors, gateway 404s, and successes', () => {
    const lambda = [
      'ResourceNotFoundException',
      'ValidationException',
      'ResourceConflictException',
      'InvalidParameterValueException',
      'InvalidRequestContentException',
      'SerializationException',
    ];
    expect(countOf(tally, lambda), 'Lambda errors').toBeGreaterThan(0);
    expect(countOf(tally, ['BadRequestException', 'NotFoundException', 'ConflictException'])).toBeGreaterThan(
      0,
    );
    expect(countOf(tally, ['InvalidSignatureException', 'UnrecognizedClientException'])).toBeGreaterThan(0);
    expect(tally.codes.get('Not Found') ?? 0, 'API Gateway 404s').toBeGreaterThan(0);
    expect(tally.classes.get('2xx') ?? 0).toBeGreaterThan(0);
    expect(tally.cases).toBeGreaterThanOrEqual(scaled(650));
  });
});
