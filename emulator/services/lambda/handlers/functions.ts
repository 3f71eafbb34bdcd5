import { AwsError } from '../../../core/aws-error.ts';
import type { RequestContext } from '../../../core/context.ts';
import { readJson, sendJson } from '../../../protocols/rest-json.ts';
import { readCode, type CodeInput } from '../code-source.ts';
import { toConfiguration, toListEntry } from '../configuration.ts';
import { lambdaErrors } from '../errors.ts';
import { lambdaDate, settleMs, type FunctionRecord } from '../model.ts';
import { unqualifiedArn, type FunctionRef } from '../names.ts';
import type { LambdaState } from '../state.ts';
import { checkConfig, type ConfigInput } from '../validate.ts';
import { codeLocation } from './code-location.ts';
import { checkTags } from './tags.ts';
import { uuid } from '../../../core/ids.ts';

/** The CreateFunction request members the local AWS reads. */
export interface CreateInput extends ConfigInput {
  FunctionName?: unknown;
  Code?: CodeInput;
  Tags?: unknown;
  PackageType?: unknown;
}

const notNull = (member: string) =>
  `Value null at '${member}' failed to satisfy constraint: Member must not be null`;

/** CreateFunction: `POST /2015-03-31/functions` → 201, State Pending. https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html */
export async function createFunction(
  ctx: RequestContext,
  lambda: LambdaState,
  ref: FunctionRef,
  body: CreateInput,
): Promise<void> {
  const missing = [body.Role === undefined && notNull('role'), body.Code === undefined && notNull('code')];
  if (missing.some(Boolean)) throw lambdaErrors.validation(missing.filter((m): m is string => m !== false));
  if (body.PackageType === 'Image') await readCode(ctx, { ImageUri: 'image' });
  const config = checkConfig(body);
  if (!config.runtime || !config.handler)
    throw lambdaErrors.invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  const tags = checkTags(body.Tags);
  if (lambda.functions.find(ref.region, ref.name)) throw lambdaErrors.functionExists(ref.name);
  checkPassRole(ctx, config.role!);
  if (!lambda.sessions.canAssume(config.role!)) throw lambdaErrors.roleCannotBeAssumed();
  const code = await lambda.code.save(await readCode(ctx, body.Code!));
  if (lambda.functions.find(ref.region, ref.name)) throw lambdaErrors.functionExists(ref.name);
  const record: FunctionRecord = {
    name: ref.name,
    region: ref.region,
    arn: unqualifiedArn(ref.region, ref.name),
    runtime: config.runtime,
    role: config.role!,
    handler: config.handler,
    description: config.description ?? '',
    timeout: config.timeout ?? 3,
    memorySize: config.memorySize ?? 128,
    ...(config.environment ? { environment: config.environment } : {}),
    architectures: config.architectures ?? ['x86_64'],
    ephemeralStorage: config.ephemeralStorage ?? 512,
    code,
    revisionId: uuid(),
    lastModified: lambdaDate(),
    state: 'Pending',
    settlesAt: Date.now() + settleMs(ctx.env.consistency, 'functionCreate'),
    tags,
  };
  await lambda.functions.put(record);
  sendJson(ctx, 201, toConfiguration(record));
}

/** GetFunction: configuration, code location and tags. https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html */
export async function getFunction(
  ctx: RequestContext,
  _lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  sendJson(ctx, 200, {
    Configuration: toConfiguration(record),
    Code: { RepositoryType: 'S3', Location: await codeLocation(ctx, record) },
    ...(Object.keys(record.tags).length ? { Tags: record.tags } : {}),
  });
}

/** GetFunctionConfiguration. https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html */
export async function getFunctionConfiguration(
  ctx: RequestContext,
  _lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  sendJson(ctx, 200, toConfiguration(record));
}

/** ListFunctions: by name, `MaxItems` (default 50) per page, `Marker` to go on. https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html */
export async function listFunctions(ctx: RequestContext, lambda: LambdaState): Promise<void> {
  const raw = ctx.query.get('MaxItems');
  const max = raw === undefined ? 50 : Number(raw);
  if (!Number.isInteger(max) || max < 1 || max > 10000)
    throw lambdaErrors.validation([
      `Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value ${max < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000'}`,
    ]);
  const after = ctx.query.get('Marker');
  const all = lambda.functions.list(ctx.region);
  const from = after ? all.findIndex((r) => r.name > Buffer.from(after, 'base64url').toString('utf8')) : 0;
  const page = from === -1 ? [] : all.slice(from, from + max);
  const more = from !== -1 && from + max < all.length;
  sendJson(ctx, 200, {
    Functions: page.map(toListEntry),
    ...(more ? { NextMarker: Buffer.from(page[page.length - 1]!.name).toString('base64url') } : {}),
  });
}

/** UpdateFunctionCode: `PUT …/code`, from ZipFile or S3. https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html */
export async function updateFunctionCode(
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  const body = await readJson<
    CodeInput & { RevisionId?: unknown; DryRun?: unknown; Architectures?: unknown }
  >(ctx);
  checkUpdatable(record, body.RevisionId);
  const config = checkConfig({ Architectures: body.Architectures });
  const code = await lambda.code.save(await readCode(ctx, body));
  const change = { code, ...(config.architectures ? { architectures: config.architectures } : {}) };
  if (body.DryRun === true) return sendJson(ctx, 200, toConfiguration({ ...record, ...change }));
  const next = await lambda.functions.update(record, change);
  await lambda.pruneCode();
  sendJson(ctx, 200, toConfiguration(next));
}

/** UpdateFunctionConfiguration: `PUT …/configuration`. https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html */
export async function updateFunctionConfiguration(
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  const body = await readJson<ConfigInput & { RevisionId?: unknown }>(ctx);
  checkUpdatable(record, body.RevisionId);
  const change = checkConfig(body);
  if (change.role && change.role !== record.role) {
    checkPassRole(ctx, change.role);
    if (!lambda.sessions.canAssume(change.role)) throw lambdaErrors.roleCannotBeAssumed();
  }
  const next = await lambda.functions.update(record, change);
  sendJson(ctx, 200, toConfiguration(next));
}

/** DeleteFunction → 204; its environments stop. https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html */
export async function deleteFunction(
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
  ref: FunctionRef,
): Promise<void> {
  if (ref.qualifier === '$LATEST')
    throw lambdaErrors.invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  await lambda.functions.delete(record);
  await lambda.runtime.stop(record.region, record.name);
  await lambda.pruneCode();
  sendJson(ctx, 204, undefined);
}

/** An update needs an Active function with no update in progress, and a matching RevisionId if one is given. */
function checkUpdatable(record: FunctionRecord, revisionId: unknown): void {
  if (record.state === 'Pending') throw lambdaErrors.pendingResource(record.arn);
  if (record.lastUpdateStatus === 'InProgress') throw lambdaErrors.updateInProgress(record.arn);
  if (revisionId !== undefined && revisionId !== record.revisionId) throw lambdaErrors.revisionMismatch();
}

/** A role session or user must be allowed `iam:PassRole` on the execution role it hands to Lambda. */
function checkPassRole(ctx: RequestContext, roleArn: string): void {
  const principal = ctx.principal;
  if (principal.type !== 'role-session' && principal.type !== 'user') return;
  const identity = principal.type === 'user' ? principal.arn : principal.roleArn;
  const decision = ctx.env.iam?.evaluate(identity, 'iam:PassRole', roleArn, {
    'iam:PassedToService': 'lambda.amazonaws.com',
  });
  if (decision === 'allowed') return;
  throw new AwsError(
    'AccessDeniedException',
    `User: ${principal.arn} is not authorized to perform: iam:PassRole on resource: ${roleArn} ` +
      (decision === 'explicitDeny'
        ? 'with an explicit deny in an identity-based policy'
        : 'because no identity-based policy allows the iam:PassRole action'),
    { status: 403 },
  );
}
