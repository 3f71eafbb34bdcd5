import type { SessionRecord } from '../../auth/credentials.ts';
import { AwsError } from '../../core/aws-error.ts';
import type { EmulatorEnv, RoleInfo } from '../../core/env.ts';
import { evaluateResourcePolicy, type RequestPrincipal } from '../iam/policy-engine.ts';

/** How long a service's role session lasts unless asked otherwise (Lambda refreshes well before). */
const SERVICE_SESSION_SECONDS = 12 * 3600;

/** The caller of AssumeRole as a trust policy sees it. */
export type TrustCaller = { service: string } | { arn: string; account: string };

/**
 * Whether the role's trust policy lets `caller` assume it; if not, the AWS error.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function checkTrust(role: RoleInfo, caller: TrustCaller): void {
  const principal: RequestPrincipal = 'service' in caller ? { service: caller.service } : caller;
  const decision = evaluateResourcePolicy(role.assumeRolePolicyDocument, {
    principal,
    action: 'sts:AssumeRole',
    resource: role.arn,
    context:
      'service' in caller ? {} : { 'aws:PrincipalArn': caller.arn, 'aws:PrincipalAccount': caller.account },
  });
  if (decision === 'allowed') return;
  const who = 'service' in caller ? caller.service : caller.arn;
  throw new AwsError(
    'AccessDenied',
    `User: ${who} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`,
    {
      status: 403,
    },
  );
}

/**
 * Credentials for a service acting as a role, e.g. Lambda running a function with its execution
 * role: checks that the role exists and that its trust policy names `service`
 * (`lambda.amazonaws.com`), then issues a session like AssumeRole would.
 * Throws `AwsError` `NoSuchEntity` (404) for an unknown role, `AccessDenied` (403) when the
 * trust policy does not allow the service.
 */
export async function assumeRoleForService(
  env: EmulatorEnv,
  roleArn: string,
  service: string,
  sessionName: string,
  durationSeconds = SERVICE_SESSION_SECONDS,
): Promise<SessionRecord> {
  const role = env.iam?.getRole(roleArn);
  if (!role) {
    const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, { status: 404 });
  }
  checkTrust(role, { service });
  return env.credentials.issueSession({
    roleArn: role.arn,
    roleName: role.name,
    roleId: role.roleId,
    sessionName,
    durationSeconds,
  });
}
