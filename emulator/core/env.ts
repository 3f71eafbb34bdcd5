import type { CredentialStore } from '../auth/credentials.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from './log.ts';
import type { RequestContext } from './context.ts';
import type { AwsError } from './aws-error.ts';
import type { Consistency } from './consistency.ts';

/** A role as the rest of the emulator sees it (IAM owns the details). */
export interface RoleInfo {
  arn: string;
  name: string;
  roleId: string;
  /** JSON text */
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
}

/** One identity policy attached to a role, inline or managed. */
export interface AttachedPolicy {
  /** Inline: the policy name; managed: the policy name too (as SimulatePrincipalPolicy shows it). */
  id: string;
  type: 'inline' | 'managed';
  /** JSON text */
  document: string;
}

/** What IAM offers the other services: roles, and the identity policies of a role or user. */
export interface IamDirectory {
  getRole(nameOrArn: string): RoleInfo | undefined;
  /** By role, user or group ARN; a user's include its groups'. */
  identityPolicies(principalArn: string): AttachedPolicy[];
  /** False while a new role, or a role's changed trust policy, is still propagating (`--consistency aws`). */
  rolePropagated?(roleArn: string): boolean;
  /** The policy engine's verdict for a role's or user's identity policies (same engine as SimulatePrincipalPolicy). */
  evaluate(
    principalArn: string,
    action: string,
    resource: string,
    context: Record<string, string>,
  ): 'allowed' | 'explicitDeny' | 'implicitDeny';
}

/** What Lambda offers the other services (S3 notifications, API Gateway). */
export interface LambdaGateway {
  /** The function's ARN if it exists (name, ARN or partial ARN accepted). */
  functionArn(nameOrArn: string): string | undefined;
  /** Whether the function's resource policy lets `principal` (a service) invoke it for `sourceArn`. */
  allowsInvoke(functionArn: string, principal: string, sourceArn: string, sourceAccount: string): boolean;
  invoke(input: {
    functionArn: string;
    payload: Buffer;
    invocationType: 'RequestResponse' | 'Event';
    /** Give up on a synchronous call after this long (API Gateway's 30 s). */
    timeoutMs?: number;
  }): Promise<{ payload: Buffer; functionError?: string; logTail?: string; timedOut?: boolean }>;
}

/** What CloudWatch Logs offers the services that write logs (Lambda). */
export interface LogsGateway {
  /**
   * Writes events as the writer would with CreateLogGroup (group missing), CreateLogStream (stream
   * missing) and PutLogEvents, each only if `may(action, resource)`; resolves with whether they were written.
   */
  write(input: {
    region: string;
    group: string;
    stream: string;
    events: Array<{ timestamp: number; message: string }>;
    may: (action: string, resource: string) => boolean;
  }): Promise<boolean>;
}

/** A service plugged into the pipeline. */
export interface Service {
  /** Our name: `s3`, `iam`, `sts`, `lambda`, `apigatewayv2`. */
  readonly name: string;
  /** SigV4 signing names that route here (`apigateway` for apigatewayv2). */
  readonly signingNames: readonly string[];
  /** Writes an error in this service's protocol. */
  writeError(ctx: RequestContext, err: AwsError): void;
  /** Works out the operation; the pipeline then authorizes and runs it. */
  resolve(ctx: RequestContext): Promise<Operation>;
  /** Empties all state (`POST /_emulator/reset`). */
  reset(): Promise<void>;
  /** Finishes background work (worker processes, pending deliveries) before the server stops. */
  close?(): Promise<void>;
}

export interface Operation {
  /** The AWS operation name, e.g. `PutBucketCors`. */
  name: string;
  /**
   * What IAM must allow for this request: the action (`s3:PutBucketCORS`) and resource ARN.
   * Absent: no authorization (e.g. `sts:GetCallerIdentity`), or the operation authorizes
   * itself (S3 POST Object authenticates from its form, then authorizes the signer).
   */
  authorization?: {
    action: string;
    resource: string;
    context?: Record<string, string>;
    /** The resource's own grants (S3: the bucket policy and ACLs), decided with identity policies. */
    resourceAccess?: ResourceAccess;
  };
  /** `self`: the operation authenticates itself (S3 POST Object); default `request`. */
  authentication?: 'request' | 'self' | 'none';
  run(): Promise<void>;
}

/** What a resource itself grants, beside the caller's identity policies (S3 buckets). */
export interface ResourceAccess {
  /** The resource policy (JSON text), e.g. a bucket policy. */
  policy?: string;
  /** The account that owns the resource. */
  ownerAccount: string;
  /** The policy's Allows count only for the owner account (S3 RestrictPublicBuckets on a public policy). */
  policyAllowsOwnerOnly?: boolean;
  /** Whether another grant (an S3 ACL) lets this caller do it. */
  granted?: (principal: Principal) => boolean;
  /** The owner account's root may do it whatever the policy says (S3 Get/Put/DeleteBucketPolicy). */
  rootAlwaysAllowed?: boolean;
}

/** State shared across the pipeline and the services. */
export interface EmulatorEnv {
  readonly version: string;
  readonly dataDir: string;
  port: number;
  readonly startedAt: number;
  readonly logger: Logger;
  readonly credentials: CredentialStore;
  /** `--consistency`: whether changes take effect at once or after AWS's delays (`consistency.ts`). */
  readonly consistency: Consistency;
  readonly services: Service[];
  iam?: IamDirectory;
  lambda?: LambdaGateway;
  logs?: LogsGateway;
  /** HTTP API data plane (`/_aws/execute-api/{apiId}/…`), plugged in by apigatewayv2. */
  executeApi?: (ctx: RequestContext, apiId: string, rest: string) => Promise<void>;
  /** S3's own CORS preflight handler, plugged in by s3. */
  s3Preflight?: (ctx: RequestContext) => Promise<void>;
}
