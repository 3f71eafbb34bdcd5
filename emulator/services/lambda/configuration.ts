import type { FunctionRecord } from './model.ts';

/**
 * A function's `FunctionConfiguration` as CreateFunction, GetFunction(Configuration) and the
 * updates return it, members as AWS names them (aws-behavior.md §5.3).
 * https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
 */
export function toConfiguration(r: FunctionRecord): Record<string, unknown> {
  return {
    FunctionName: r.name,
    FunctionArn: r.arn,
    Runtime: r.runtime,
    Role: r.role,
    Handler: r.handler,
    CodeSize: r.code.size,
    Description: r.description,
    Timeout: r.timeout,
    MemorySize: r.memorySize,
    LastModified: r.lastModified,
    CodeSha256: r.code.sha256,
    Version: '$LATEST',
    ...(r.environment ? { Environment: { Variables: r.environment } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: r.revisionId,
    ...stateMembers(r),
    PackageType: 'Zip',
    Architectures: r.architectures,
    EphemeralStorage: { Size: r.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: {
      RuntimeVersionArn: `arn:aws:lambda:${r.region}::runtime:${runtimeVersionId(r.runtime)}`,
    },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${r.name}` },
  };
}

/** ListFunctions leaves out the state members. */
export function toListEntry(r: FunctionRecord): Record<string, unknown> {
  const {
    State: _s,
    StateReason: _sr,
    StateReasonCode: _sc,
    LastUpdateStatus: _u,
    LastUpdateStatusReason: _ur,
    LastUpdateStatusReasonCode: _uc,
    RuntimeVersionConfig: _rv,
    ...rest
  } = toConfiguration(r);
  return rest;
}

function stateMembers(r: FunctionRecord): Record<string, string> {
  const out: Record<string, string> = { State: r.state };
  if (r.state === 'Pending') {
    out['StateReason'] = 'The function is being created.';
    out['StateReasonCode'] = 'Creating';
  }
  if (r.lastUpdateStatus) out['LastUpdateStatus'] = r.lastUpdateStatus;
  if (r.lastUpdateStatus === 'InProgress') {
    // AWS's recorded wording for an update in progress reuses the creation text.
    out['LastUpdateStatusReason'] = 'The function is being created.';
    out['LastUpdateStatusReasonCode'] = 'Creating';
  }
  return out;
}

/** A stable stand-in for the runtime build hash AWS puts in RuntimeVersionArn. */
function runtimeVersionId(runtime: string): string {
  let h = 0;
  for (const c of runtime) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}
