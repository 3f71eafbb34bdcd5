import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabConfig, readLabConfig, withLabConfig } from './lab-config.ts';

describe('lab.config.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is optional', async () => {
    expect(await readLabConfig(dir)).toEqual({});
  });

  it('is read from the folder and loses to flags', async () => {
    await writeFile(
      join(dir, 'lab.config.json'),
      JSON.stringify({
        region: 'eu-west-1',
        bucket: 'from-config',
        api: 'cfg',
        timeout: 5,
        frontendDir: 'x',
      }),
    );
    const config = await readLabConfig(dir);
    expect(withLabConfig({ bucket: 'from-flag' }, config)).toEqual({
      region: 'eu-west-1',
      bucket: 'from-flag',
      api: 'cfg',
      frontendDir: 'x',
      timeoutMs: 5000,
    });
  });

  it.each([
    ['{', /not valid JSON/],
    ['[]', /must be a JSON object/],
    ['{"bucket": 3}', /"bucket" must be a non-empty string/],
    ['{"timeout": -1}', /"timeout" must be a positive number/],
    ['{"buckett": "x"}', /unknown field "buckett"/],
  ])('refuses %s with LAB_BAD_CONFIG', (text, message) => {
    expect(() => parseLabConfig(text)).toThrow(/^LAB_BAD_CONFIG: lab.config.json: /);
    expect(() => parseLabConfig(text)).toThrow(message);
  });
});
