/** Where human output goes, and what it can do there: TTY, width, colour (NO_COLOR, FORCE_COLOR), CI. */
export interface Screen {
  /** In-place updates and spinners are allowed. */
  live: boolean;
  width: number;
  color: boolean;
  write(text: string): void;
}

export interface ScreenStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export function createScreen(stream: ScreenStream, env: NodeJS.ProcessEnv = process.env): Screen {
  const tty = stream.isTTY === true;
  const ci = Boolean(env['CI']) && env['CI'] !== 'false';
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const force = env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0';
  return {
    live: tty && !ci && env['TERM'] !== 'dumb',
    width: Math.max(60, stream.columns || 100),
    color: !noColor && (force || (tty && env['TERM'] !== 'dumb')),
    write: (text) => void stream.write(text),
  };
}

const CODES = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
} as const;
export type Style = keyof typeof CODES;

export function paint(screen: Pick<Screen, 'color'>, style: Style, text: string): string {
  if (!screen.color) return text;
  const [open, close] = CODES[style];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}

/** Word-wraps `text` to `width`, every line after the first indented by `indent`. */
export function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width - indent.length) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out.join(`\n${indent}`);
}

/** Cuts a line to the screen width (no wrapping inside in-place updates). */
export function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export const STATUS_LABEL = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIP' } as const;
export const STATUS_STYLE: Record<keyof typeof STATUS_LABEL, Style> = {
  pass: 'green',
  fail: 'red',
  error: 'red',
  skip: 'yellow',
};

export function summaryLine(s: { passed: number; failed: number; skipped: number }): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}
