import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckOptions } from '../../checks/options.ts';
import { lastRunFile, recordLastRun } from '../../checks/report/last-run.ts';
import { runChecks } from '../../checks/runner.ts';
import type { RunEvent } from '../../checks/types.ts';

let running = false;

/**
 * Streams one checker run as Server-Sent Events: `run-start`, `row-start`, `row-retry`, `row-end`, `run-end`
 * (the checker's own events), or `run-error` with a coded message. One run at a time: the checks
 * upload test objects, and two runs would race on the same bucket.
 */
export async function streamChecks(
  req: IncomingMessage,
  res: ServerResponse,
  options: CheckOptions,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const send = (type: string, data: unknown) => {
    if (!res.writableEnded) res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  if (running) {
    send('run-error', { message: 'LAB_BUSY: a check run is already in progress; wait for it to finish.' });
    res.end();
    return;
  }
  running = true;
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => clearInterval(heartbeat));
  try {
    // run-end waits until the run is recorded, so the page knows the record is the run it saw.
    let end: RunEvent | undefined;
    const report = await runChecks(options, (event: RunEvent) =>
      event.type === 'run-end' ? (end = event) : send(event.type, event),
    );
    const at = new Date();
    await recordLastRun(report, 'the lab page', lastRunFile(options.cwd), at);
    if (end) send('run-end', { ...end, recordedAt: at.toISOString() });
  } catch (err) {
    const e = err as Error & { code?: string };
    // A LabError's message already starts with its code.
    const coded = e.code && !e.message.startsWith(e.code) ? `${e.code}: ${e.message}` : e.message;
    send('run-error', { message: coded });
  } finally {
    running = false;
    clearInterval(heartbeat);
    res.end();
  }
}
