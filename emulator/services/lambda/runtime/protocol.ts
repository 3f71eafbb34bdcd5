/**
 * The messages between the emulator and a runtime process (node/bootstrap.mjs,
 * python/bootstrap.py): one JSON object per line over fd 3, a duplex socket.
 */

/** A function error as Lambda returns it in the payload (`X-Amz-Function-Error: Unhandled`). */
export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
  /** Python's runtime names it so. */
  stackTrace?: string[];
  requestId?: string;
}

/** emulator → runtime */
export interface InvokeMessage {
  t: 'invoke';
  id: string;
  /** The event, as JSON text. */
  event: string;
  /** ms since epoch */
  deadline: number;
  arn: string;
  traceId: string;
  clientContext?: unknown;
}

/** runtime → emulator */
export type RuntimeMessage =
  | { t: 'ready'; pid: number }
  | { t: 'init-error'; error: ErrorPayload }
  | { t: 'log'; s: string }
  | { t: 'result'; id: string; payload: string }
  /** `fatal`: the runtime exits after this (an uncaught exception), so the environment is not reused. */
  | { t: 'error'; id: string; error: ErrorPayload; fatal?: boolean };

/** How one invocation in one process ended. */
export type Outcome =
  | { kind: 'result'; payload: string }
  | { kind: 'error'; error: ErrorPayload; fatal?: boolean }
  | { kind: 'init-error'; error: ErrorPayload }
  | { kind: 'timeout' }
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  /** The runtime cannot run here (no python3 with boto3, an unemulated runtime, a role Lambda cannot assume). */
  | { kind: 'unavailable'; error: ErrorPayload };
