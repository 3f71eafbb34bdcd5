import { baselineResources } from './baseline.ts';
import type { Change, Resource, RunContext } from './context.ts';
import { LAB_STEPS } from './steps.ts';

export type Stage = 'baseline' | 'solution';
export const STAGES: readonly Stage[] = ['baseline', 'solution'];

/**
 * What a deploy reconciles. `solution` is the baseline plus every lab step in order, so that
 * `solve(step)` and the solution deploy run the very same resources; a step's resource replaces
 * the baseline's with the same id in place. `baseline` also undoes the steps (newest first),
 * so deploying it over a solved stack resets it to the state before the lesson.
 */
export function deployPlan(stage: Stage): Resource[] {
  const plan = new Map<string, Resource>();
  const add = (resource: Resource): void => {
    plan.set(resource.id, resource);
  };
  baselineResources().forEach(add);
  if (stage === 'solution') for (const step of LAB_STEPS) step.resources.forEach(add);
  else for (const step of [...LAB_STEPS].reverse()) step.revert.forEach(add);
  return [...plan.values()];
}

/** Runs resources in order; each reads before it writes. */
export async function runResources(
  ctx: RunContext,
  resources: Resource[],
  onChange: (change: Change) => void = () => {},
): Promise<Change[]> {
  const changes: Change[] = [];
  for (const resource of resources) {
    const result = await resource.run(ctx);
    changes.push(result);
    onChange(result);
  }
  return changes;
}
