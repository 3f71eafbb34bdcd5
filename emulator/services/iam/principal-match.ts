import type { PrincipalSpec } from './policy-document.ts';

/** Who is asking, for a resource or trust policy: a service, or an AWS identity (ARN, account). */
export interface RequestPrincipal {
  /** e.g. `lambda.amazonaws.com` */
  service?: string;
  /** `arn:aws:iam::<acct>:root`, a role ARN, or an assumed-role session ARN */
  arn?: string;
  account?: string;
}

const SESSION = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;
const ROOT = /^arn:aws:iam::(\d{12}):root$/;

/**
 * Whether a policy's Principal names the caller. `*` (or `"AWS": "*"`) is anyone; an account id
 * or `arn:aws:iam::<acct>:root` is every identity of that account; a role ARN is that role and
 * its sessions; a service name is that service.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export function principalMatches(spec: PrincipalSpec, who: RequestPrincipal): boolean {
  if (spec.any) return true;
  if (who.service) {
    const service = who.service.toLowerCase();
    return spec.service.some((s) => s.toLowerCase() === service);
  }
  const account = who.account ?? accountOf(who.arn);
  const session = who.arn ? SESSION.exec(who.arn) : null;
  return spec.aws.some((p) => {
    // `"AWS": "*"` is everyone, anonymous callers included (the same as `"Principal": "*"`).
    if (p === '*') return true;
    if (/^\d{12}$/.test(p)) return p === account;
    const root = ROOT.exec(p);
    if (root) return root[1] === account;
    if (p === who.arn) return true;
    // A role ARN (with any path) names the role's sessions too.
    if (session && p.startsWith(`arn:aws:iam::${session[1]}:role/`)) return p.endsWith(`/${session[2]}`);
    return false;
  });
}

function accountOf(arn: string | undefined): string | undefined {
  return arn ? /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] : undefined;
}
