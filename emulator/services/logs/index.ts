import { join } from 'node:path';
import { AwsError } from '../../core/aws-error.ts';
import type { EmulatorEnv, Service } from '../../core/env.ts';
import { writeJson11Error } from '../../protocols/json.ts';
import { logsGateway } from './gateway.ts';
import { resolveOperation } from './routes.ts';
import { LogsStore } from './store.ts';

/**
 * Denials and authentication failures are 400 in CloudWatch Logs, where Lambda and S3 answer 403:
 * a captured logs answer to a bad key was `400 Bad Request` with
 * `{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}`
 * (maxbanton/cwh#119). UNVERIFIED: the same status for the other three.
 */
const CLIENT_400 = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
]);

/**
 * CloudWatch Logs over AWS JSON 1.1 (`X-Amz-Target: Logs_20140328.*`, signing name `logs`):
 * log groups, streams and events, kept in one append-only journal per group; and `env.logs`,
 * through which Lambda writes its functions' logs.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/Welcome.html
 */
export async function createLogsService(env: EmulatorEnv): Promise<Service> {
  const store = await LogsStore.open(join(env.dataDir, 'logs'), env.logger);
  env.logs = logsGateway(store);
  return {
    name: 'logs',
    signingNames: ['logs'],
    resolve: (ctx) => resolveOperation(ctx, store),
    writeError: (ctx, err) =>
      writeJson11Error(
        ctx,
        CLIENT_400.has(err.code) ? new AwsError(err.code, err.message, { status: 400 }) : err,
      ),
    reset: () => store.reset(),
    close: () => store.close(),
  };
}
