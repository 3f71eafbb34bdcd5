import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabOutputs } from '../../checks/lib/outputs.ts';
import { withOutputsDefaults, type SessionOptions } from './session.ts';

let dir: string;
let file: string;
const recorded: Partial<LabOutputs> = {
  endpoint: 'http://localhost:4566',
  region: 'us-west-2',
  name: 'upload-lab-alice',
  frontendOrigin: 'https://lab.example.com',
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-session-'));
  file = path.join(dir, 'outputs.json');
  await writeFile(file, JSON.stringify(recorded));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('withOutputsDefaults', () => {
  it('takes endpoint, region, name and origin from an earlier deploy when none are given', async () => {
    const { opts } = await withOutputsDefaults({}, file);
    expect(opts).toEqual({
      endpoint: 'http://localhost:4566',
      region: 'us-west-2',
      name: 'upload-lab-alice',
      origin: 'https://lab.example.com',
    });
  });

  it('lets explicit options win', async () => {
    const { opts } = await withOutputsDefaults(
      { local: true, name: 'other', origin: 'http://localhost:5173' },
      file,
    );
    expect(opts).toEqual({
      local: true,
      region: 'us-west-2',
      name: 'other',
      origin: 'http://localhost:5173',
    });
  });

  it('ignores a recorded local endpoint and region when real AWS is chosen with --region or --profile', async () => {
    const { opts } = await withOutputsDefaults<SessionOptions>({ profile: 'lab' }, file);
    expect(opts.endpoint).toBeUndefined();
    expect(opts.region).toBeUndefined();
    expect(opts.name).toBe('upload-lab-alice');
  });

  it('changes nothing without an outputs file', async () => {
    const { opts, outputs } = await withOutputsDefaults({ name: 'x' }, path.join(dir, 'missing.json'));
    expect(outputs).toBeUndefined();
    expect(opts).toEqual({ name: 'x' });
  });
});
