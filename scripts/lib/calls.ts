/** One AWS call the scripts made, as the SDK named it. */
export interface CallRecord {
  service: string;
  command: string;
}

/** Calls that only read: a second deploy over an unchanged stack makes nothing else. */
export const isReadCall = (call: CallRecord): boolean =>
  /^(Get|List|Head|Describe|Simulate)/.test(call.command);

interface MiddlewareContext {
  clientName?: string;
  commandName?: string;
}
type Next = (args: unknown) => Promise<unknown>;
type Middleware = (next: Next, context: MiddlewareContext) => Next;
interface Stackful {
  middlewareStack: { add(middleware: never, options: { step: 'initialize'; name: string }): void };
}

/**
 * Logs every call a client makes into `log`, and tags a failure with the client and command
 * names so that an AccessDenied can name the IAM action that was missing.
 */
export function recordCalls(client: Stackful, log: CallRecord[]): void {
  const middleware: Middleware = (next, context) => async (args) => {
    const call = {
      service: (context.clientName ?? 'Client').replace(/Client$/, ''),
      command: (context.commandName ?? 'Command').replace(/Command$/, ''),
    };
    log.push(call);
    try {
      return await next(args);
    } catch (err) {
      if (typeof err === 'object' && err !== null) {
        Object.assign(err, { $service: call.service, $command: call.command });
      }
      throw err;
    }
  };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'labRecordCalls' });
}
