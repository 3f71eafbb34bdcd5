import type { PostPolicy } from './ticket.ts';

/** What a POST policy allows, read off its conditions. */
export interface PolicyScope {
  expiresInSeconds: number;
  /** The key condition as S3 would print it, e.g. `["starts-with", "$key", "incoming/"]`. */
  keyCondition?: string;
  /** The key prefix the policy confines uploads to ('' = anywhere); the exact key for an eq condition. */
  keyPrefix?: string;
  sizeRange?: [number, number];
}

const show = (c: unknown[]): string => `[${c.map((v) => JSON.stringify(v)).join(', ')}]`;

export function policyScope(policy: PostPolicy, now = Date.now()): PolicyScope {
  const scope: PolicyScope = { expiresInSeconds: Math.round((Date.parse(policy.expiration) - now) / 1000) };
  for (const c of policy.conditions ?? []) {
    if (Array.isArray(c)) {
      const [op, name, a] = c as [string, string, unknown];
      const field = String(name ?? '').toLowerCase();
      if (String(op).toLowerCase() === 'content-length-range') scope.sizeRange = [Number(name), Number(a)];
      else if (field === '$key' && ['starts-with', 'eq'].includes(String(op).toLowerCase())) {
        scope.keyCondition = show(c);
        scope.keyPrefix = String(a ?? '');
      }
    } else if (c && typeof c === 'object') {
      for (const [name, value] of Object.entries(c)) {
        if (name.toLowerCase() === 'key') {
          scope.keyCondition = show(['eq', '$key', value]);
          scope.keyPrefix = String(value);
        }
      }
    }
  }
  return scope;
}
