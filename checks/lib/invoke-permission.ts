import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import type { CheckContext } from '../context.ts';
import { globMatch } from './arn.ts';
import { isAwsError } from './aws.ts';
import type { Statement } from './iam-eval.ts';

type ResourceStatement = Statement & { Principal?: unknown };

/** The function's resource-based policy statements; empty when it has none. */
export async function functionPolicy(ctx: CheckContext, fn: string): Promise<ResourceStatement[]> {
  try {
    const out = await ctx.aws.lambda.send(new GetPolicyCommand({ FunctionName: fn }));
    const doc = JSON.parse(out.Policy ?? '{}') as { Statement?: ResourceStatement[] };
    return doc.Statement ?? [];
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return [];
    throw err;
  }
}

function principalIsApiGateway(p: unknown): boolean {
  if (p === '*') return true;
  const service = (p as { Service?: string | string[] } | undefined)?.Service;
  const list = Array.isArray(service) ? service : service ? [service] : [];
  return list.includes('apigateway.amazonaws.com');
}

function conditionArns(condition: Record<string, unknown> | undefined): string[] | undefined {
  if (!condition) return undefined;
  const arns: string[] = [];
  for (const [op, block] of Object.entries(condition)) {
    if (!/^Arn(Like|Equals)$|^String(Like|Equals)$/.test(op)) continue;
    for (const [key, value] of Object.entries((block ?? {}) as Record<string, unknown>)) {
      if (key.toLowerCase() !== 'aws:sourcearn') continue;
      arns.push(...(Array.isArray(value) ? value.map(String) : [String(value)]));
    }
  }
  return arns.length > 0 ? arns : undefined;
}

/**
 * Whether API Gateway may invoke the function for a request whose source ARN is `sourceArn`
 * (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`), and the source ARNs the
 * policy does allow, for the hint.
 */
export function allowsInvoke(
  statements: readonly ResourceStatement[],
  sourceArn: string,
): {
  allowed: boolean;
  allowedSourceArns: string[];
} {
  const allowedSourceArns: string[] = [];
  let allowed = false;
  for (const s of statements) {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action ?? ''];
    if (s.Effect !== 'Allow' || !principalIsApiGateway(s.Principal)) continue;
    if (!actions.some((a) => globMatch(a, 'lambda:InvokeFunction', true))) continue;
    const arns = conditionArns(s.Condition);
    if (!arns) {
      allowed = true;
      allowedSourceArns.push('*');
      continue;
    }
    allowedSourceArns.push(...arns);
    if (arns.some((a) => globMatch(a, sourceArn))) allowed = true;
  }
  return { allowed, allowedSourceArns };
}
