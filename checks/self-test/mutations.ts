import { ROW_IDS } from '../row-ids.ts';
import type { Mutation } from './mutation.ts';
import { awsMutations } from './mutations-aws.ts';
import { codeMutations } from './mutations-code.ts';

export type { Mutation } from './mutation.ts';

const firstRow = (m: Mutation) => Math.min(...Object.keys(m.fails).map((id) => ROW_IDS.indexOf(id as never)));

/** The catalog of realistic student mistakes, in the lab's order of the rows they break. */
export const mutations: Mutation[] = [...awsMutations, ...codeMutations].sort(
  (a, b) => firstRow(a) - firstRow(b),
);
