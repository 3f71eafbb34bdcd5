import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../checks/lib/browser.ts';
import { deploy } from './deploy.ts';
import { smoke } from './smoke.ts';
import { solve } from './solve.ts';
import { teardown } from './teardown.ts';
import {
  EMULATOR_MISSING,
  startLocalStack,
  TEST_CREDENTIALS,
  type LocalStack,
} from './test-support/local-stack.ts';

const chromium = await findChromium();

// The local AWS with AWS's delays (§11.5, at half their length): the scripts must get through
// on the conditions they wait for (role usable, function Active/updated, changes applied), no flag.
describe.skipIf(EMULATOR_MISSING)('deploy, solve, smoke and teardown under --consistency aws', () => {
  let stack: LocalStack;
  const notes: string[] = [];
  const target = () => ({
    endpoint: stack.endpoint,
    credentials: TEST_CREDENTIALS,
    name: 'timing-test',
    origin: stack.origin,
    outputsFile: path.join(stack.dir, 'outputs.json'),
    onNote: (m: string) => notes.push(m),
  });

  beforeAll(async () => {
    stack = await startLocalStack({ consistency: 'aws', consistencyScale: 0.5 });
  });
  afterAll(() => stack?.stop());

  it('deploys the baseline, waiting for its new roles to reach Lambda', async () => {
    const result = await deploy({ ...target(), stage: 'baseline' });
    stack.setApiBaseUrl(result.outputs.apiEndpoint);
    expect(notes.some((n) => /waiting for the new role .* to reach Lambda/.test(n))).toBe(true);
    expect(notes.some((n) => /role usable by Lambda after/.test(n))).toBe(true);
    expect(notes.some((n) => /route GET \/files live/.test(n))).toBe(true);
  });

  it('solves put-permission and waits until the policy is in force', async () => {
    await solve('ticket-function', target());
    notes.length = 0;
    await solve('put-permission', target());
    expect(notes.some((n) => /s3:PutObject allowed/.test(n))).toBe(true);
  });

  it.skipIf(!chromium)('deploys the solution and the smoke test passes right after', async () => {
    const result = await deploy({ ...target(), stage: 'solution' });
    const phases = await smoke({
      outputs: result.outputs,
      endpoint: stack.endpoint,
      frontendUrl: `${stack.origin}/app/`,
    });
    expect(phases.filter((p) => !p.ok)).toEqual([]);
  });

  it('tears everything down', async () => {
    const result = await teardown(target());
    expect(result.removed.some((c) => c.kind === 'function' && c.action === 'deleted')).toBe(true);
    const again = await teardown(target());
    expect(again.removed.every((c) => c.action === 'unchanged')).toBe(true);
  });
});
