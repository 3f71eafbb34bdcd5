import type { RunEvent } from '../types.ts';
import { ms, retryLine, rowDetails, statusLabel } from './details.ts';
import type { Reporter } from './reporter.ts';
import { paint, summaryLine, type Screen } from './screen.ts';

/** One line per row as it finishes — for logs, CI, and anything that is not a terminal. */
export function plainReporter(screen: Screen): Reporter {
  return {
    onEvent(event: RunEvent) {
      if (event.type === 'run-start') {
        const t = event.target as { apiId?: string; bucket?: string; endpoint?: string; region?: string };
        screen.write(`Checking API ${t.apiId}, bucket ${t.bucket} (${t.endpoint ?? `AWS ${t.region}`})\n`);
      } else if (event.type === 'row-retry') {
        screen.write(`${paint(screen, 'yellow', '  ... ')} ${event.id}: ${retryLine(event)}\n`);
      } else if (event.type === 'row-end') {
        const r = event.result;
        const time = r.status === 'skip' ? '' : ` (${ms(r.durationMs)})`;
        screen.write(`${statusLabel(screen, r)} ${r.id} — ${r.title}${time}\n`);
        screen.write(rowDetails(screen, r));
      } else if (event.type === 'run-end') {
        screen.write(`${summaryLine(event.summary)}\n`);
      }
    },
    close() {},
  };
}
