import { join } from 'node:path';
import { AwsError } from '../../core/aws-error.ts';
import type { EmulatorEnv, Service } from '../../core/env.ts';
import { writeJson11Error } from '../../protocols/json.ts';
import { logsGateway } from './gateway.ts';
import { resolveOperation } from './routes.ts';
import { LogsStore } from './store.ts';

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
    // A denial is a client error of a JSON service: 400, not S3's 403. UNVERIFIED status.
    writeError: (ctx, err) =>
      writeJson11Error(
        ctx,
        err.code === 'AccessDeniedException' ? new AwsError(err.code, err.message, { status: 400 }) : err,
      ),
    reset: () => store.reset(),
    close: () => store.close(),
  };
}
