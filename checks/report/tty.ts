import type { RowResult, RunEvent } from '../types.ts';
import { ms, retryLine, rowDetails, statusLabel } from './details.ts';
import type { Reporter } from './reporter.ts';
import { fit, paint, summaryLine, type Screen } from './screen.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TICK_MS = 80;

interface Line {
  id: string;
  title: string;
  running: boolean;
  result?: RowResult;
  /** While a row waits to be checked again. */
  retry?: string;
}

/** A terminal: one line per row, updated in place with a spinner while it runs, then the table. */
export function ttyReporter(screen: Screen): Reporter {
  let lines: Line[] = [];
  let drawn = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const idWidth = () => Math.max(...lines.map((l) => l.id.length), 8);

  const lineText = (l: Line): string => {
    const id = l.id.padEnd(idWidth());
    if (l.result) {
      const time = l.result.status === 'skip' ? '' : paint(screen, 'dim', ` ${ms(l.result.durationMs)}`);
      return `${statusLabel(screen, l.result)} ${id}  ${fit(l.title, screen.width - idWidth() - 18)}${time}`;
    }
    const mark = l.running
      ? paint(screen, 'cyan', (FRAMES[frame % FRAMES.length] ?? '').padEnd(5))
      : paint(screen, 'dim', '·    ');
    if (l.retry)
      return `${mark} ${id}  ${paint(screen, 'yellow', fit(l.retry, screen.width - idWidth() - 10))}`;
    return `${mark} ${id}  ${paint(screen, 'dim', fit(l.title, screen.width - idWidth() - 10))}`;
  };
  const draw = () => {
    let out = drawn > 0 ? `\x1b[${drawn}A` : '';
    for (const l of lines) out += `\r\x1b[2K${lineText(l)}\n`;
    drawn = lines.length;
    screen.write(out);
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    onEvent(event: RunEvent) {
      if (event.type === 'run-start') {
        const t = event.target as { apiId?: string; bucket?: string; endpoint?: string; region?: string };
        screen.write(
          paint(screen, 'bold', `Checking API ${t.apiId}, bucket ${t.bucket}`) +
            paint(screen, 'dim', ` (${t.endpoint ?? `AWS ${t.region}`})`) +
            '\n',
        );
        lines = event.rows.map((r) => ({ id: r.id, title: r.title, running: false }));
        draw();
        timer = setInterval(() => {
          // Only a running row's spinner moves; nothing to redraw otherwise.
          if (!lines.some((l) => l.running && !l.result)) return;
          frame++;
          draw();
        }, TICK_MS);
        timer.unref();
      } else if (event.type === 'row-start') {
        const l = lines.find((x) => x.id === event.id);
        if (l) l.running = true;
      } else if (event.type === 'row-retry') {
        const l = lines.find((x) => x.id === event.id);
        if (l) l.retry = retryLine(event, true);
        draw();
      } else if (event.type === 'row-end') {
        const l = lines.find((x) => x.id === event.result.id);
        if (l) l.result = event.result;
        draw();
      } else {
        stop();
        draw();
        const notPassed = event.results.filter((r) => r.status !== 'pass');
        if (notPassed.length > 0) screen.write('\n');
        for (const r of notPassed) {
          screen.write(`${statusLabel(screen, r)} ${paint(screen, 'bold', r.id)}\n${rowDetails(screen, r)}`);
        }
        screen.write(`\n${summaryLine(event.summary)}\n`);
      }
    },
    close: stop,
  };
}
