import { describe, expect, it } from 'vitest';
import { apiIdFrom, parseArgs } from './args.ts';
import { LabError } from './lab-error.ts';

describe('parseArgs', () => {
  it('reads every flag of the issue', () => {
    const a = parseArgs([
      '--local',
      '--only',
      'api-cors',
      'bucket-cors',
      '--json',
      '--junit',
      'out.xml',
      '--profile',
      'lab',
      '--region',
      'eu-west-1',
      '--api',
      'abc123',
      '--bucket',
      'b',
      '--frontend-url',
      'http://localhost:5173/app/',
      '--timeout',
      '12.5',
    ]);
    expect(a).toEqual({
      json: true,
      junit: 'out.xml',
      help: false,
      options: {
        local: true,
        only: ['api-cors', 'bucket-cors'],
        profile: 'lab',
        region: 'eu-west-1',
        api: 'abc123',
        bucket: 'b',
        frontendUrl: 'http://localhost:5173/app/',
        timeoutMs: 12_500,
      },
    });
  });

  it('accepts --flag=value and comma lists for --only', () => {
    const a = parseArgs([
      '--only=api-cors,dashboard',
      '--region=us-east-2',
      '--frontend-dir',
      'solution/frontend',
    ]);
    expect(a.options).toEqual({
      only: ['api-cors', 'dashboard'],
      region: 'us-east-2',
      frontendDir: 'solution/frontend',
    });
  });

  it('stops --only at the next flag', () => {
    expect(parseArgs(['--only', 'ticket-scope', '--local']).options).toEqual({
      only: ['ticket-scope'],
      local: true,
    });
  });

  it.each([
    [['--what'], /unknown option "--what"/],
    [['--region'], /--region needs a value/],
    [['--region', '--local'], /--region needs a value/],
    [['--timeout', 'soon'], /--timeout needs a number/],
    [['--only'], /--only needs at least one row id/],
    [['stray'], /unexpected argument "stray"/],
  ])('refuses %j with LAB_USAGE', (argv, message) => {
    let caught: unknown;
    try {
      parseArgs(argv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LabError);
    expect((caught as LabError).code).toBe('LAB_USAGE');
    expect((caught as Error).message).toMatch(message);
  });

  it('reads --wait S and --no-wait (re-checks of failures AWS may still be applying)', () => {
    expect(parseArgs(['--wait', '7.5']).options.waitMs).toBe(7500);
    expect(parseArgs(['--no-wait']).options.waitMs).toBe(0);
    expect(parseArgs([]).options.waitMs).toBeUndefined();
    expect(() => parseArgs(['--wait', '-1'])).toThrow(/--wait needs a number of seconds/);
  });

  it('knows --help and -h', () => {
    expect(parseArgs(['--help']).help).toBe(true);
    expect(parseArgs(['-h']).help).toBe(true);
  });
});

describe('apiIdFrom', () => {
  it('takes an id, an AWS invoke URL or a local one', () => {
    expect(apiIdFrom('a1b2c3d4e5')).toBe('a1b2c3d4e5');
    expect(apiIdFrom('https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/')).toBe('a1b2c3d4e5');
    expect(apiIdFrom('http://localhost:4566/_aws/execute-api/xyz789/files')).toBe('xyz789');
  });

  it('refuses anything else', () => {
    expect(() => apiIdFrom('https://example.com/api')).toThrow(/LAB_USAGE/);
  });
});
