import { uuid } from '../../core/ids.ts';
import type { Logger } from '../../core/log.ts';
import type { FunctionRecord } from './model.ts';
import { InvocationLog } from './runtime/invocation-log.ts';
import { logStreamName } from './runtime/launch.ts';
import type { RuntimeManager } from './runtime/manager.ts';
import type { ErrorPayload, Outcome } from './runtime/protocol.ts';

/** A synchronous response larger than this fails as `Function.ResponseSizeTooLarge` (6 MB + 100 bytes). */
export const MAX_RESPONSE_BYTES = 6_291_556;

/** What one invocation returned, in Invoke's terms. */
export interface InvocationResult {
  requestId: string;
  payload: Buffer;
  /** `Unhandled` for every function error, as current runtimes report. */
  functionError?: 'Unhandled';
  /** Base64 last 4 KB of the log (`X-Amz-Log-Result`). */
  logTail: string;
  timedOut?: boolean;
  /** The invocation's lines as CloudWatch Logs events, and the stream of its environment. */
  log: { stream: string; events: Array<{ timestamp: number; message: string }> };
}

const GO_SIGNALS: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
};

/**
 * Runs a function once and turns how it ended into Lambda's answer: the result, or an
 * Unhandled error payload (the function's own, `Sandbox.Timedout`, `Runtime.ExitError`,
 * `Function.ResponseSizeTooLarge`), with the log framed and copied to the emulator's log.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export async function runFunction(
  runtime: RuntimeManager,
  logger: Logger,
  record: FunctionRecord,
  event: Buffer,
  clientContext?: unknown,
): Promise<InvocationResult> {
  const requestId = uuid();
  const source = `fn:${record.name}`;
  const log = new InvocationLog(requestId, (text) =>
    logger.output ? logger.output(source, text) : logger.info(`[${source}] ${text.trimEnd()}`),
  );
  const { outcome, pid, initMs, logStream, initOutput } = await runtime.run(
    record,
    {
      id: requestId,
      event: event.length ? event.toString('utf8') : '{}',
      arn: record.arn,
      traceId: traceId(),
      ...(clientContext !== undefined ? { clientContext } : {}),
    },
    log,
  );
  let error = errorOf(outcome, requestId, record);
  let payload = outcome.kind === 'result' ? Buffer.from(outcome.payload, 'utf8') : undefined;
  if (payload && payload.length > MAX_RESPONSE_BYTES) {
    error = {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    };
    payload = undefined;
  }
  if (outcome.kind === 'timeout')
    log.write(
      `${new Date().toISOString()} ${requestId} Task timed out after ${record.timeout.toFixed(2)} seconds\n`,
    );
  if (outcome.kind === 'exit' || outcome.kind === 'unavailable')
    log.write(
      `RequestId: ${requestId} Error: ${error!.errorMessage.replace(/^RequestId: \S+ Error: /, '')}\n${error!.errorType}\n`,
    );
  await log.finish({
    memorySize: record.memorySize,
    pid,
    initMs,
    status: outcome.kind === 'timeout' ? 'timeout' : error ? 'error' : undefined,
  });
  return {
    requestId,
    payload: payload ?? Buffer.from(JSON.stringify(error), 'utf8'),
    ...(error ? { functionError: 'Unhandled' as const } : {}),
    logTail: log.tail(),
    ...(outcome.kind === 'timeout' ? { timedOut: true } : {}),
    // No environment started (init failed): AWS still logs it, in a stream of its own.
    log: { stream: logStream ?? logStreamName(), events: log.events(initOutput) },
  };
}

function errorOf(outcome: Outcome, requestId: string, record: FunctionRecord): ErrorPayload | undefined {
  switch (outcome.kind) {
    case 'result':
      return undefined;
    case 'error':
    case 'init-error':
    case 'unavailable':
      return outcome.error;
    case 'timeout':
      return {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${record.timeout.toFixed(2)} seconds`,
      };
    case 'exit': {
      const how =
        outcome.code === 0
          ? 'Runtime exited without providing a reason'
          : outcome.code !== null
            ? `Runtime exited with error: exit status ${outcome.code}`
            : `Runtime exited with error: signal: ${(outcome.signal && GO_SIGNALS[outcome.signal]) ?? outcome.signal}`;
      return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${how}` };
    }
  }
}

/** An X-Ray trace header for `_X_AMZN_TRACE_ID`. */
function traceId(): string {
  const hex = (n: number) =>
    [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hex(12)};Parent=${hex(8)};Sampled=0;Lineage=1:${hex(4)}:0`;
}
