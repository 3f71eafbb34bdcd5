import type { RequestContext } from '../../core/context.ts';
import type { Operation } from '../../core/env.ts';
import { safeDecode } from '../../core/query-string.ts';
import { readJson } from '../../protocols/rest-json.ts';
import { lambdaErrors } from './errors.ts';
import { getFunctionCode } from './handlers/code-location.ts';
import * as fns from './handlers/functions.ts';
import { invoke } from './handlers/invoke.ts';
import * as perms from './handlers/permissions.ts';
import * as tags from './handlers/tags.ts';
import type { FunctionRecord } from './model.ts';
import { parseFunctionRef, unqualifiedArn, type FunctionRef } from './names.ts';
import type { LambdaState } from './state.ts';

type FunctionHandler = (
  ctx: RequestContext,
  lambda: LambdaState,
  record: FunctionRecord,
  ref: FunctionRef,
) => Promise<void>;

/** Operations on one function: `/2015-03-31/functions/{fn}[/sub]`, by method and sub-resource. */
const FUNCTION_OPS: Record<string, [name: string, action: string, run: FunctionHandler]> = {
  'GET ': ['GetFunction', 'lambda:GetFunction', fns.getFunction],
  'DELETE ': ['DeleteFunction', 'lambda:DeleteFunction', fns.deleteFunction],
  'GET configuration': [
    'GetFunctionConfiguration',
    'lambda:GetFunctionConfiguration',
    fns.getFunctionConfiguration,
  ],
  'PUT configuration': [
    'UpdateFunctionConfiguration',
    'lambda:UpdateFunctionConfiguration',
    fns.updateFunctionConfiguration,
  ],
  'PUT code': ['UpdateFunctionCode', 'lambda:UpdateFunctionCode', fns.updateFunctionCode],
  'GET code': ['GetFunctionCode', 'lambda:GetFunction', getFunctionCode],
  'POST invocations': ['Invoke', 'lambda:InvokeFunction', invoke],
  'POST policy': ['AddPermission', 'lambda:AddPermission', perms.addPermission],
  'GET policy': ['GetPolicy', 'lambda:GetPolicy', perms.getPolicy],
};

const TAG_OPS: Record<string, [name: string, action: string, run: FunctionHandler]> = {
  POST: ['TagResource', 'lambda:TagResource', tags.tagResource],
  DELETE: ['UntagResource', 'lambda:UntagResource', tags.untagResource],
  GET: ['ListTags', 'lambda:ListTags', tags.listTags],
};

const TAGGABLE =
  /^arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const TAGGABLE_TEXT =
  'arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

/** Works out the Lambda operation of a request, with the IAM action and resource it needs. */
export async function resolveOperation(ctx: RequestContext, lambda: LambdaState): Promise<Operation> {
  const parts = ctx.rawPath.split('/').slice(1).map(safeDecode);
  if (parts.at(-1) === '' && parts.length > 2) parts.pop();
  const [version, collection, target, sub, extra] = parts;
  const m = ctx.method;

  if (version === '2015-03-31' && collection === 'functions' && target === undefined) {
    if (m === 'GET')
      return {
        name: 'ListFunctions',
        authorization: { action: 'lambda:ListFunctions', resource: '*' },
        run: () => fns.listFunctions(ctx, lambda),
      };
    if (m === 'POST') {
      const body = await readJson<fns.CreateInput>(ctx);
      if (typeof body.FunctionName !== 'string')
        throw lambdaErrors.validation([
          "Value null at 'functionName' failed to satisfy constraint: Member must not be null",
        ]);
      const ref = parseFunctionRef(body.FunctionName, ctx.region, 'CreateFunction');
      return {
        name: 'CreateFunction',
        authorization: { action: 'lambda:CreateFunction', resource: unqualifiedArn(ref.region, ref.name) },
        run: () => fns.createFunction(ctx, lambda, ref, body),
      };
    }
  }

  if (version === '2015-03-31' && collection === 'functions' && target !== undefined) {
    if (m === 'DELETE' && sub === 'policy' && extra !== undefined && parts.length === 5) {
      const ref = parseFunctionRef(target, ctx.region, 'RemovePermission', ctx.query.get('Qualifier'));
      return functionOp(ctx, lambda, ref, 'RemovePermission', 'lambda:RemovePermission', (c, l, r) =>
        perms.removePermission(c, l, r, extra),
      );
    }
    const op = parts.length <= 4 ? FUNCTION_OPS[`${m} ${sub ?? ''}`] : undefined;
    if (op) {
      const ref = parseFunctionRef(target, ctx.region, op[0], ctx.query.get('Qualifier'));
      return functionOp(ctx, lambda, ref, ...op);
    }
  }

  if (version === '2017-03-31' && collection === 'tags' && target !== undefined && parts.length === 3) {
    const op = TAG_OPS[m];
    if (op) {
      if (!TAGGABLE.test(target))
        throw lambdaErrors.validation([
          `Value '${target}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: ${TAGGABLE_TEXT}`,
        ]);
      return functionOp(ctx, lambda, parseFunctionRef(target, ctx.region, op[0]), ...op);
    }
  }
  throw lambdaErrors.unknownOperation(m, ctx.rawPath);
}

function functionOp(
  ctx: RequestContext,
  lambda: LambdaState,
  ref: FunctionRef,
  name: string,
  action: string,
  run: FunctionHandler,
): Operation {
  const resource = unqualifiedArn(ref.region, ref.name) + (ref.qualifier ? `:${ref.qualifier}` : '');
  return {
    name,
    authorization: { action, resource },
    run: () => run(ctx, lambda, lambda.functions.require(ref, name), ref),
  };
}
