import type { EmulatorEnv, Service } from '../../core/env.ts';
import { writeJsonError } from '../../protocols/rest-json.ts';
import { createExecuteApi } from './execute-api.ts';
import { ApiModel } from './model.ts';
import { resolveOperation } from './routes.ts';

/**
 * API Gateway HTTP APIs: the control plane (`/v2/apis…`, signed for `apigateway`) and the
 * data plane it plugs into the pipeline as `env.executeApi`.
 */
export async function createApiGatewayV2Service(env: EmulatorEnv): Promise<Service> {
  const model = await ApiModel.open(env.dataDir, env.consistency);
  env.executeApi = createExecuteApi(model);
  return {
    name: 'apigatewayv2',
    signingNames: ['apigateway'],
    writeError: (ctx, err) => writeJsonError(ctx, err),
    resolve: async (ctx) => resolveOperation(ctx, model),
    reset: () => model.reset(),
  };
}
