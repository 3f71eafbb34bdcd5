import type { RequestContext } from '../../../core/context.ts';
import { uuid } from '../../../core/ids.ts';
import { readJson, sendJson } from '../../../protocols/rest-json.ts';
import { lambdaErrors } from '../errors.ts';
import type { FunctionRecord } from '../model.ts';
import type { FunctionRef } from '../names.ts';
import { buildStatement, policyDocument, type PermissionInput } from '../policy.ts';
import type { LambdaState } from '../state.ts';

const resourceOf = (record: FunctionRecord, ref: FunctionRef) =>
  ref.qualifier ? `${record.arn}:${ref.qualifier}` : record.arn;

/** AddPermission: `POST /2015-03-31/functions/{fn}/policy` → 201 `{Statement}`. https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html */
export async function addPermission(
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
  ref: FunctionRef,
): Promise<void> {
  const body = await readJson<PermissionInput & { RevisionId?: unknown }>(ctx);
  const statement = buildStatement(body, resourceOf(record, ref));
  const policy = record.policy ?? { revisionId: uuid(), statements: [] };
  if (body.RevisionId !== undefined && body.RevisionId !== policy.revisionId)
    throw lambdaErrors.policyRevisionMismatch();
  if (policy.statements.some((s) => s.Sid === statement.Sid))
    throw lambdaErrors.statementExists(statement.Sid);
  await lambda.functions.patch(record, {
    policy: { revisionId: uuid(), statements: [...policy.statements, statement] },
  });
  sendJson(ctx, 201, { Statement: JSON.stringify(statement) });
}

/** GetPolicy: `GET /2015-03-31/functions/{fn}/policy`. https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html */
export async function getPolicy(
  ctx: RequestContext,
  _lambda: LambdaState,
  record: FunctionRecord,
): Promise<void> {
  if (!record.policy?.statements.length) throw lambdaErrors.notFound();
  sendJson(ctx, 200, {
    Policy: policyDocument(record.policy.statements),
    RevisionId: record.policy.revisionId,
  });
}

/** RemovePermission: `DELETE /2015-03-31/functions/{fn}/policy/{sid}` → 204. https://docs.aws.amazon.com/lambda/latest/api/API_RemovePermission.html */
export async function removePermission(
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
  sid: string,
): Promise<void> {
  const policy = record.policy;
  if (!policy?.statements.length) throw lambdaErrors.noPolicy();
  const revision = ctx.query.get('RevisionId');
  if (revision !== undefined && revision !== policy.revisionId) throw lambdaErrors.policyRevisionMismatch();
  if (!policy.statements.some((s) => s.Sid === sid)) throw lambdaErrors.statementNotFound(sid);
  const statements = policy.statements.filter((s) => s.Sid !== sid);
  await lambda.functions.patch(
    record,
    statements.length ? { policy: { revisionId: uuid(), statements } } : { policy: undefined },
  );
  sendJson(ctx, 204, undefined);
}
