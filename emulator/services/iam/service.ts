import { AwsError } from '../../core/aws-error.ts';
import type { EmulatorEnv, Service } from '../../core/env.ts';
import { readQueryParams, sendQueryResult, writeQueryError } from '../../protocols/query.ts';
import { IamModel } from './iam-model.ts';
import { IAM_OPERATIONS } from './routes.ts';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/**
 * IAM over the Query protocol: roles, users, groups, access keys, inline and managed policies,
 * SimulatePrincipalPolicy. Plugs `env.iam` (roles, identity policies, the policy engine) and the
 * users' access keys (`env.credentials`) in for the other services.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/welcome.html
 */
export async function createIamService(env: EmulatorEnv): Promise<Service> {
  const model = await IamModel.open(env.dataDir, env.consistency);
  env.iam = model;
  env.credentials.useUserKeys(model.userKey);
  return {
    name: 'iam',
    signingNames: ['iam'],
    writeError: (ctx, err) => writeQueryError(ctx, IAM_XMLNS, err),
    async resolve(ctx) {
      const params = await readQueryParams(ctx);
      const action = params.get('Action');
      if (action === undefined) throw new AwsError('MissingAction', 'Missing Action', { status: 400 });
      const op = Object.hasOwn(IAM_OPERATIONS, action) ? IAM_OPERATIONS[action] : undefined;
      if (!op)
        throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2010-05-08`, {
          status: 400,
        });
      return {
        name: action,
        authorization: { action: `iam:${action}`, resource: op.target(params, model, ctx) },
        async run() {
          const result = await model.tracked(() => op.handler({ model, params, env, ctx }));
          sendQueryResult(ctx, IAM_XMLNS, action, result);
        },
      };
    },
    reset: () => model.clear(),
  };
}
