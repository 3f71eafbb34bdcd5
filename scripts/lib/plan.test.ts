import { describe, expect, it } from 'vitest';
import { solve } from '../solve.ts';
import { baselineResources } from './baseline.ts';
import { deployPlan } from './plan.ts';
import { CHECK_IDS, LAB_STEPS } from './steps.ts';

const ids = (resources: Array<{ id: string }>): string[] => resources.map((r) => r.id);

describe('deploy plan', () => {
  it('solution = baseline, with each step applied in the lab order', () => {
    const baseline = ids(baselineResources());
    const solution = deployPlan('solution');
    const added = LAB_STEPS.flatMap((s) => ids(s.resources)).filter((id) => !baseline.includes(id));
    expect(ids(solution)).toEqual([...baseline, ...added]);
    // The step's own resource object is what runs, so solve and deploy cannot drift apart.
    for (const step of LAB_STEPS) {
      for (const resource of step.resources) expect(solution).toContain(resource);
    }
  });

  it('api-cors replaces the baseline CORS in place, before the routes', () => {
    const solution = ids(deployPlan('solution'));
    expect(solution.indexOf('api-cors')).toBe(solution.indexOf('api') + 1);
    expect(solution.filter((id) => id === 'api-cors')).toHaveLength(1);
  });

  it('baseline undoes the steps newest first, after building the baseline', () => {
    const plan = ids(deployPlan('baseline'));
    const baseline = ids(baselineResources());
    expect(plan.slice(0, baseline.length)).toEqual(baseline);
    expect(plan.slice(baseline.length)).toEqual([
      'route:POST /upload-url',
      'permission:uploadTicket:apigw',
      'role-policy:uploadTicketPut',
      'function:uploadTicket',
      'role:uploadTicket',
      'bucket-cors',
    ]);
  });

  it('has one step per checklist row, in the lab order', () => {
    expect(LAB_STEPS.map((s) => s.id)).toEqual([...CHECK_IDS]);
    const withChanges = LAB_STEPS.filter((s) => s.resources.length > 0).map((s) => s.id);
    expect(withChanges).toEqual([
      'api-cors',
      'bucket-cors',
      'ticket-function',
      'put-permission',
      'upload-route',
    ]);
  });
});

describe('solve without AWS', () => {
  it('says that a verifying row changes nothing, and calls no AWS', async () => {
    const result = await solve('dashboard', { endpoint: 'http://127.0.0.1:9', outputsFile: false });
    expect(result.changes).toEqual([]);
    expect(result.calls).toEqual([]);
    expect(result.note).toMatch(/no change of its own/);
  });

  it('refuses an unknown check id with LAB_UNKNOWN_CHECK and the list of ids', async () => {
    await expect(solve('api-corz', { outputsFile: false })).rejects.toMatchObject({
      code: 'LAB_UNKNOWN_CHECK',
      message: expect.stringContaining('api-cors, bucket-cors') as unknown,
    });
  });
});
