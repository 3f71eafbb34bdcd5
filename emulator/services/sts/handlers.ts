import { AwsError } from '../../core/aws-error.ts';
import type { RequestContext } from '../../core/context.ts';
import type { QueryParams } from '../../protocols/query.ts';
import { checkMember, required, validationError } from '../iam/validation.ts';
import { checkTrust } from './assume-role.ts';

/** Who is calling. https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html */
export function getCallerIdentity(ctx: RequestContext) {
  const p = ctx.principal;
  if (p.type === 'anonymous')
    throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', {
      status: 403,
    });
  return { UserId: p.userId, Account: p.accountId, Arn: p.arn };
}

function durationSeconds(params: QueryParams, max: number): number {
  const text = params.get('DurationSeconds');
  if (text === undefined) return Math.min(3600, max);
  const value = Number(text);
  const bound = (what: string) =>
    validationError(
      `1 validation error detected: Value '${text}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${what}`,
    );
  if (!Number.isInteger(value)) throw bound('greater than or equal to 900');
  if (value < 900) throw bound('greater than or equal to 900');
  if (value > 43200) throw bound('less than or equal to 43200');
  if (value > max)
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  return value;
}

/**
 * Temporary credentials for a role whose trust policy names the caller. An unknown role is
 * refused exactly like an untrusting one, as AWS does (it does not reveal which roles exist).
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export async function assumeRole(ctx: RequestContext, params: QueryParams) {
  const caller = ctx.principal;
  if (caller.type === 'anonymous')
    throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', {
      status: 403,
    });
  const roleArn = required(params, 'RoleArn');
  checkMember(
    roleArn,
    'roleArn',
    /^[\s\S]+$/,
    '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
    2048,
    20,
  );
  const sessionName = required(params, 'RoleSessionName');
  checkMember(sessionName, 'roleSessionName', /^[\w+=,.@-]*$/, '[\\w+=,.@-]*', 64, 2);
  const role = ctx.env.iam?.getRole(roleArn);
  if (!role || role.arn !== roleArn)
    throw new AwsError(
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      {
        status: 403,
      },
    );
  const duration = durationSeconds(params, role.maxSessionDuration);
  checkTrust(role, { arn: caller.arn, account: caller.accountId });
  const session = await ctx.env.credentials.issueSession({
    roleArn: role.arn,
    roleName: role.name,
    roleId: role.roleId,
    sessionName,
    durationSeconds: duration,
  });
  return {
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${role.arn.split(':')[4]}:assumed-role/${role.name}/${sessionName}`,
    },
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiresAt).toISOString(),
    },
  };
}
