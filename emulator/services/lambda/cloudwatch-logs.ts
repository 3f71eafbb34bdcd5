import type { EmulatorEnv } from '../../core/env.ts';
import type { FunctionRecord } from './model.ts';

/**
 * Sends an invocation's lines to CloudWatch Logs, `/aws/lambda/<name>`, in its environment's
 * stream, with the execution role's permissions: without `logs:CreateLogGroup` (group missing),
 * `logs:CreateLogStream` (stream missing) and `logs:PutLogEvents` nothing is written, and the
 * function still runs. A failure here never changes the invocation's result.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
 */
export async function writeFunctionLogs(
  env: EmulatorEnv,
  record: FunctionRecord,
  log: { stream: string; events: Array<{ timestamp: number; message: string }> },
): Promise<void> {
  if (!env.logs || log.events.length === 0) return;
  const iam = env.iam;
  try {
    await env.logs.write({
      region: record.region,
      group: `/aws/lambda/${record.name}`,
      stream: log.stream,
      events: log.events,
      may: (action, resource) =>
        iam?.evaluate(record.role, action, resource, { 'aws:PrincipalArn': record.role }) === 'allowed',
    });
  } catch (err) {
    env.logger.error(`lambda: could not write the logs of ${record.name}`, err);
  }
}
