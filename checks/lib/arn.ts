/** Reading names out of ARNs and integration URIs. */

/** `name` from `arn:aws:lambda:r:a:function:name[:qualifier]`, from API Gateway's
 * `arn:aws:apigateway:r:lambda:path/2015-03-31/functions/<arn>/invocations`, or a bare name. */
export function functionNameFrom(uriOrArn: string): string {
  const m = /:function:([^:/]+)/.exec(uriOrArn);
  if (m?.[1]) return m[1];
  return uriOrArn;
}

/** `name` from `arn:aws:iam::123:role/path/name`. */
export function roleNameFrom(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.split('/').pop() ?? resource;
}

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): ArnParts | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return {
    partition: parts[1] ?? 'aws',
    service: parts[2] ?? '',
    region: parts[3] ?? '',
    account: parts[4] ?? '',
    resource: parts.slice(5).join(':'),
  };
}

/** IAM's `ArnLike` / wildcard matching: `*` any run of characters, `?` one character, whole string. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's').test(value);
}
