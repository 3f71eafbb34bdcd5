import { browserHints } from './hints/browser.ts';
import { corsHints } from './hints/cors.ts';
import { functionHints } from './hints/function.ts';
import { scopeHints } from './hints/scope.ts';

/**
 * Every hint the checker can give, by stable id (`<row>.<reason>`). The id is what grading and the
 * self-test key on; the text is a function of the values seen, so it can say what was seen, what is
 * wanted, and what to change.
 */
const catalog = { ...corsHints, ...functionHints, ...browserHints, ...scopeHints };

export type HintId = keyof typeof catalog;
export type HintValues<K extends HintId> = Parameters<(typeof catalog)[K]>[0];

export interface Hint {
  id: HintId;
  text: string;
}

export function hint<K extends HintId>(
  id: K,
  ...values: HintValues<K> extends undefined ? [] : [HintValues<K>]
): Hint {
  const render = catalog[id] as (v: unknown) => string;
  return { id, text: render(values[0]) };
}

export const hintIds = Object.keys(catalog) as HintId[];
