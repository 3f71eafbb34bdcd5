/**
 * IAM's wildcard match: `*` matches any run of characters (including `/` and `:`), `?` exactly
 * one character, everything else literally. Anchored at both ends. Written as a linear-time
 * two-pointer walk rather than a RegExp so a hostile pattern cannot make it backtrack.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let resume = 0;
  while (vi < v.length) {
    const c = p[pi];
    if (c !== undefined && (c === '?' || c === v[vi])) {
      pi++;
      vi++;
    } else if (c === '*') {
      star = pi++;
      resume = vi;
    } else if (star !== -1) {
      pi = star + 1;
      vi = ++resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * ARN matching for `ArnEquals`/`ArnLike` and `Resource`: the six colon-separated parts are
 * compared one by one (each may carry wildcards); the last part keeps any further colons.
 * A pattern or value that is not a six-part ARN matches nothing, except a bare `*`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function arnMatch(pattern: string, value: string): boolean {
  const pp = splitArn(pattern);
  const vp = splitArn(value);
  if (!pp || !vp) return pattern === '*';
  return pp.every((part, i) => wildcardMatch(part, vp[i]!));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
