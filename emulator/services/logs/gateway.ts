import { AwsError } from '../../core/aws-error.ts';
import type { LogsGateway } from '../../core/env.ts';
import { MAX_BATCH_BYTES } from './handlers-events.ts';
import type { LogsStore } from './store.ts';
import { groupArn, streamArn } from './tokens.ts';

/**
 * How a service (Lambda) writes logs in the local AWS: what CreateLogGroup, CreateLogStream and
 * PutLogEvents would do for the writer, each step only if its permissions allow it, as Lambda does
 * with the function's execution role.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
 */
export function logsGateway(store: LogsStore): LogsGateway {
  return {
    async write({ region, group, stream, events, may }) {
      let target = store.find(region, group);
      if (!target) {
        if (!may('logs:CreateLogGroup', `${groupArn(region, group)}:*`)) return false;
        // Two environments of the function may both find it missing: the second waits for the first.
        target = await store.ensure(region, group, Date.now());
      }
      const arn = streamArn(region, group, stream);
      if (!target.streams.has(stream)) {
        if (!may('logs:CreateLogStream', arn)) return false;
        await target.createStream(stream, Date.now()).catch((err: unknown) => {
          if (!(err instanceof AwsError && err.code === 'ResourceAlreadyExistsException')) throw err;
        });
      }
      if (!may('logs:PutLogEvents', arn)) return false;
      for (const batch of batches(events)) await target.putEvents(stream, batch, Date.now());
      return true;
    },
  };
}

/** Chronological batches within PutLogEvents' size limit (one invocation never spans 24 hours). */
function batches(events: Array<{ timestamp: number; message: string }>): Array<Array<[number, string]>> {
  const out: Array<Array<[number, string]>> = [];
  let current: Array<[number, string]> = [];
  let bytes = 0;
  for (const e of [...events].sort((a, b) => a.timestamp - b.timestamp)) {
    const size = Buffer.byteLength(e.message, 'utf8') + 26;
    if (current.length && (bytes + size > MAX_BATCH_BYTES || current.length === 10_000)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push([e.timestamp, e.message]);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}
