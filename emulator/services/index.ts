import type { EmulatorEnv, Service } from '../core/env.ts';
import { createApiGatewayV2Service } from './apigatewayv2/index.ts';
import { createIamService } from './iam/service.ts';
import { createLambdaService } from './lambda/index.ts';
import { createLogsService } from './logs/index.ts';
import { createS3Service } from './s3/index.ts';
import { createStsService } from './sts/service.ts';

/**
 * The services of the local AWS, in the order they are started. Each factory loads its
 * state from `env.dataDir` and plugs what it offers the others into `env`.
 */
export const serviceFactories: Array<(env: EmulatorEnv) => Promise<Service>> = [
  createIamService,
  createStsService,
  createLambdaService,
  // After Lambda: it closes after Lambda has drained its invocations, whose logs it receives.
  createLogsService,
  createApiGatewayV2Service,
  createS3Service,
];
