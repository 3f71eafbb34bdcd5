import type { RequestContext } from '../../core/context.ts';
import type { Operation } from '../../core/env.ts';
import { readJsonTarget, sendJson11 } from '../../protocols/json.ts';
import { logsErrors } from './errors.ts';
import * as groups from './handlers-groups.ts';
import * as events from './handlers-events.ts';
import { filterLogEvents } from './handlers-filter.ts';
import * as streams from './handlers-streams.ts';
import { Input } from './input.ts';
import type { LogsStore } from './store.ts';
import { groupArn, streamArn } from './tokens.ts';

type Handler = (ctx: RequestContext, store: LogsStore, input: Input) => Promise<unknown>;
/** What IAM authorizes: the group (`log-group:<name>:*`), one stream, or every group. */
type Scope = 'group' | 'stream' | 'all';

const OPERATIONS: Record<string, [scope: Scope, run: Handler]> = {
  CreateLogGroup: ['group', groups.createLogGroup],
  DeleteLogGroup: ['group', groups.deleteLogGroup],
  DescribeLogGroups: ['all', groups.describeLogGroups],
  PutRetentionPolicy: ['group', groups.putRetentionPolicy],
  DeleteRetentionPolicy: ['group', groups.deleteRetentionPolicy],
  CreateLogStream: ['stream', streams.createLogStream],
  DescribeLogStreams: ['group', streams.describeLogStreams],
  PutLogEvents: ['stream', events.putLogEvents],
  GetLogEvents: ['stream', events.getLogEvents],
  FilterLogEvents: ['group', filterLogEvents],
};

/**
 * `X-Amz-Target: Logs_20140328.<Operation>` → the operation, with the IAM action `logs:<Operation>`
 * on the resource the Service Authorization Reference names for it.
 * UNVERIFIED: group-level actions are authorized on `…:log-group:<name>:*` (the form policies use).
 */
export async function resolveOperation(ctx: RequestContext, store: LogsStore): Promise<Operation> {
  const { operation, input: body } = await readJsonTarget(ctx, 'Logs_20140328');
  const entry = OPERATIONS[operation];
  if (!entry) throw logsErrors.unknownOperation();
  const [scope, run] = entry;
  const input = new Input(body);
  const group = nameOf(body['logGroupName'] ?? body['logGroupIdentifier']);
  const resource =
    scope === 'all' || group === undefined
      ? `${groupArn(ctx.region, '*')}`
      : scope === 'stream'
        ? streamArn(ctx.region, group, nameOf(body['logStreamName']) ?? '*')
        : `${groupArn(ctx.region, group)}:*`;
  return {
    name: operation,
    authorization: { action: `logs:${operation}`, resource },
    run: async () => sendJson11(ctx, await run(ctx, store, input)),
  };
}

/** A group named by name or ARN, for the authorization resource (validation comes later). */
function nameOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^arn:aws[a-z-]*:logs:[^:]*:\d{12}:log-group:([^:]+)(:\*)?$/.exec(value)?.[1] ?? value;
}
