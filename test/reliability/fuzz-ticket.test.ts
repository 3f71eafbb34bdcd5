import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HttpApiEvent, HttpApiResult } from '../../solution/functions/lib/http.ts';
import { readTicketConfig } from '../../solution/functions/upload-ticket/config.ts';
import {
  createTicketHandler,
  handler,
  type TicketHandler,
} from '../../solution/functions/upload-ticket/handler.ts';
import type { TicketResponse } from '../../solution/functions/upload-ticket/handler.ts';
import { FUZZ_SEED, printFigures, scaled } from './support/fuzz-scale.ts';
import { ticketFaults, type TicketLimits } from './support/ticket-oracle.ts';
import { NASTY } from './support/wire-arbitraries.ts';

/**
 * The upload-ticket function, in process, against at least 10,000 generated bodies and file
 * names: never a 5xx; every 200 carries a key under the prefix in the documented safe pattern
 * and a policy that pins that key, the bucket, every field and the size range.
 */
const CODES = new Set([
  'INVALID_JSON',
  'INVALID_BODY',
  'BODY_TOO_LARGE',
  'MISSING_FILENAME',
  'INVALID_SIZE',
  'EMPTY_FILE',
  'FILE_TOO_LARGE',
  'INVALID_CONTENT_TYPE',
  'CONTENT_TYPE_NOT_ALLOWED',
]);
const ENV = {
  UPLOAD_BUCKET: 'upload-lab-123456789012-us-east-1',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAFUZZEXAMPLE00001',
  AWS_SECRET_ACCESS_KEY: 'fuzz/secret+key/EXAMPLEKEYEXAMPLEKEY01',
};
const limitsOf = (env: Record<string, string>): TicketLimits => {
  const config = readTicketConfig(env);
  return {
    bucket: config.bucket,
    prefix: config.uploadPrefix,
    maxBytes: config.maxBytes,
    expiresSeconds: config.expiresSeconds,
    region: config.region,
    accessKeyId: ENV.AWS_ACCESS_KEY_ID,
    secretAccessKey: ENV.AWS_SECRET_ACCESS_KEY,
  };
};
// A second configuration whose prefix is full of regex metacharacters, with its own limits.
const ODD_ENV = {
  ...ENV,
  UPLOAD_PREFIX: 'up+loads/(v1)/[x]$^.*?/',
  MAX_UPLOAD_BYTES: '5000',
  UPLOAD_EXPIRES_SECONDS: '60',
};
const tally = { cases: 0, accepted: 0, refused: 0, serverErrors: 0, codes: new Map<string, number>() };

beforeAll(() => {
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', undefined);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  printFigures('fuzz-ticket', {
    cases: tally.cases,
    // Every case is generated hostile input; the function touches no storage.
    'faults injected': tally.cases,
    'accepted (200)': tally.accepted,
    'refused (400)': tally.refused,
    codes: [...tally.codes].map(([c, n]) => `${c}:${n}`).join(','),
    '5xx': tally.serverErrors,
    'objects lost': 0,
  });
});

const event = (body: unknown, base64 = false): HttpApiEvent =>
  ({
    version: '2.0',
    routeKey: 'POST /upload-url',
    rawPath: '/upload-url',
    body,
    isBase64Encoded: base64,
  }) as HttpApiEvent;

/** File names a client might send: Unicode, controls, separators, `..`, very long, or not strings. */
const filenames: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }) },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.constantFrom(
          '..',
          '.',
          '/',
          '\\',
          'a',
          'Z',
          '9',
          'é',
          '\u0000',
          '\n',
          ' ',
          '😀',
          '%2e',
          '~',
          '-',
          '_',
        ),
        {
          maxLength: 40,
        },
      )
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.integer({ min: 101, max: 60_000 }).map((n) => `${'ß'.repeat(n)}.png`) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'string') },
);

/** Ticket requests: the documented fields with hostile values, and extras. */
const requests = fc.record(
  {
    filename: filenames,
    contentType: fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          'image/png',
          'IMAGE/JPEG; charset=x',
          'text/plain',
          'application/json',
          '',
          null,
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom('text/html', 'application/x-msdownload', 'image/svg+xml') },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    ),
    size: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 5000 }) },
      { weight: 1, arbitrary: fc.integer({ min: -5, max: 20_000_000 }) },
      { weight: 1, arbitrary: fc.double() },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    ),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['filename'] },
);

/** Whole bodies: broken JSON, other roots, huge documents, deep nesting. */
const rawBodies: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }) },
  { weight: 3, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: requests.map((r) => JSON.stringify(r).slice(0, -1)) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 60_000, max: 120_000 })
      .map((n) => JSON.stringify({ filename: 'a.png', pad: 'x'.repeat(n) })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 30_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 5_000 })
      .map((n) => JSON.stringify({ filename: 'a.png', list: Array(n).fill({ k: 1 }) })),
  },
);

async function answer(run: TicketHandler, input: HttpApiEvent | null): Promise<HttpApiResult> {
  const result = await run(input);
  tally.cases++;
  if (result.statusCode >= 500) tally.serverErrors++;
  expect(result.statusCode, result.body).toBeLessThan(500);
  expect(result.headers['content-type']).toBe('application/json');
  const body = JSON.parse(result.body) as { code?: string; error?: string };
  if (result.statusCode === 200) tally.accepted++;
  else {
    tally.refused++;
    expect(result.statusCode).toBe(400);
    expect(body.error).toEqual(expect.any(String));
    expect(CODES.has(body.code ?? ''), body.code).toBe(true);
    tally.codes.set(body.code!, (tally.codes.get(body.code!) ?? 0) + 1);
  }
  return result;
}

/** Checks a parsed request's answer: a tight ticket for a string name, MISSING_FILENAME otherwise. */
async function checkRequest(run: TicketHandler, limits: TicketLimits, request: Record<string, unknown>) {
  const text = JSON.stringify(request);
  const result = await answer(run, event(text));
  const name = request['filename'];
  if (result.statusCode === 200) {
    expect(typeof name).toBe('string');
    expect(ticketFaults(JSON.parse(result.body) as TicketResponse, name as string, limits)).toEqual([]);
  } else if (text.length <= 64 * 1024 && (typeof name !== 'string' || name.trim() === '')) {
    expect(JSON.parse(result.body)).toMatchObject({ code: 'MISSING_FILENAME' });
  }
}

const params = (numRuns: number) => ({ numRuns: scaled(numRuns), seed: FUZZ_SEED });

describe('upload-ticket under generated input', () => {
  it('answers 6,000 generated requests with a tight ticket or a 400', async () => {
    const limits = limitsOf(ENV);
    await fc.assert(
      fc.asyncProperty(requests, (request) => checkRequest(handler, limits, request)),
      params(6000),
    );
  });

  it('answers 2,000 broken, huge and deep bodies (plain and base64) without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(rawBodies, fc.boolean(), async (body, base64) => {
        const sent = base64 ? Buffer.from(body).toString('base64') : body;
        const result = await answer(handler, event(sent, base64));
        if (body.length > 64 * 1024) expect(result.statusCode).toBe(400);
      }),
      params(2000),
    );
  });

  it('answers 1,000 odd events (no body, non-string bodies, bad base64, no event) without a 5xx', async () => {
    const odd = fc.oneof(
      fc.constant(null),
      fc.jsonValue().map((body) => event(body)),
      fc.string({ unit: 'binary', maxLength: 200 }).map((body) => event(body, true)),
      fc
        .record({ version: fc.jsonValue(), headers: fc.jsonValue(), body: fc.jsonValue() })
        .map((e) => e as HttpApiEvent),
    );
    await fc.assert(
      fc.asyncProperty(odd, async (input) => void (await answer(handler, input))),
      params(1000),
    );
  });

  it('confines 1,000 tickets under a prefix full of regex metacharacters, with its own limits', async () => {
    const config = readTicketConfig(ODD_ENV);
    const run = createTicketHandler(() => config);
    const limits = limitsOf(ODD_ENV);
    await fc.assert(
      fc.asyncProperty(requests, (request) => checkRequest(run, limits, request)),
      params(1000),
    );
  });

  it('the oracle itself refuses a loose ticket (it can fail)', async () => {
    const limits = limitsOf(ENV);
    const good = JSON.parse((await handler(event('{"filename":"a.png"}'))).body) as TicketResponse;
    expect(ticketFaults(good, 'a.png', limits)).toEqual([]);
    const policy = JSON.parse(Buffer.from(good.upload.fields['Policy']!, 'base64').toString()) as {
      conditions: unknown[];
    };
    const withPolicy = (conditions: unknown[]): TicketResponse => ({
      ...good,
      upload: {
        ...good.upload,
        fields: {
          ...good.upload.fields,
          Policy: Buffer.from(JSON.stringify({ ...policy, conditions })).toString('base64'),
        },
      },
    });
    const loose = (c: unknown) =>
      JSON.stringify(c).includes('"key"') ? ['starts-with', '$key', 'incoming/'] : c;
    expect(ticketFaults(withPolicy(policy.conditions.map(loose)), 'a.png', limits)).toContain(
      'loose condition ["starts-with","$key","incoming/"]',
    );
    expect(ticketFaults({ ...good, object_key: 'metadata/x.json' }, 'a.png', limits).length).toBeGreaterThan(
      0,
    );
    expect(ticketFaults(good, '../b.png', limits)).toContain('key does not end with the sanitized filename');
  });

  it('tried at least 10,000 cases', () => {
    expect(tally.cases).toBeGreaterThanOrEqual(scaled(10_000));
    // Both outcomes were exercised: the generators are not all-valid or all-invalid.
    expect(tally.accepted).toBeGreaterThan(scaled(10_000) / 20);
    expect(tally.refused).toBeGreaterThan(scaled(10_000) / 20);
  });
});
