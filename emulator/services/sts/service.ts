import { AwsError } from '../../core/aws-error.ts';
import type { EmulatorEnv, Operation, Service } from '../../core/env.ts';
import { readQueryParams, sendQueryResult, writeQueryError } from '../../protocols/query.ts';
import { assumeRole, getCallerIdentity } from './handlers.ts';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * STS over the Query protocol: GetCallerIdentity and AssumeRole. Sessions live in
 * `env.credentials`, so it has no state of its own.
 * https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
 */
export async function createStsService(_env: EmulatorEnv): Promise<Service> {
  return {
    name: 'sts',
    signingNames: ['sts'],
    writeError: (ctx, err) => writeQueryError(ctx, STS_XMLNS, err),
    async resolve(ctx): Promise<Operation> {
      const params = await readQueryParams(ctx);
      const action = params.get('Action');
      if (action === undefined) throw new AwsError('MissingAction', 'Missing Action', { status: 400 });
      if (action === 'GetCallerIdentity')
        return {
          name: action,
          // Needs no permission: even a role whose policies deny everything may ask who it is.
          run: async () => sendQueryResult(ctx, STS_XMLNS, action, getCallerIdentity(ctx)),
        };
      if (action === 'AssumeRole')
        return {
          name: action,
          authorization: { action: 'sts:AssumeRole', resource: params.get('RoleArn') ?? '*' },
          run: async () => sendQueryResult(ctx, STS_XMLNS, action, await assumeRole(ctx, params)),
        };
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`, {
        status: 400,
      });
    },
    reset: async () => undefined,
  };
}
