/** One line per request to stderr, plus stage traces when `EMULATOR_DEBUG=1`. */
export interface Logger {
  request(line: {
    id: string;
    operation: string;
    status: number;
    ms: number;
    method: string;
    path: string;
  }): void;
  debug(id: string, stage: string, detail?: string): void;
  info(message: string): void;
  error(message: string, err?: unknown): void;
  /** Output of something the emulator runs (a function's console), each line prefixed `[source]`. */
  output?(source: string, text: string): void;
}

export function createLogger(options: { quiet?: boolean; debug?: boolean } = {}): Logger {
  const debugOn = options.debug ?? process.env['EMULATOR_DEBUG'] === '1';
  const quiet = options.quiet ?? false;
  const write = (text: string) => process.stderr.write(text + '\n');
  return {
    request: ({ id, operation, status, ms, method, path }) => {
      if (!quiet)
        write(`[aws] ${id} ${operation} ${status} ${ms.toFixed(0)}ms ${method} ${truncate(path, 120)}`);
    },
    debug: (id, stage, detail) => {
      if (debugOn) write(`[aws:debug] ${id} ${stage}${detail ? ' ' + detail : ''}`);
    },
    info: (message) => {
      if (!quiet) write(`[aws] ${message}`);
    },
    output: (source, text) => {
      if (quiet) return;
      const lines = text.endsWith('\n') ? text.slice(0, -1) : text;
      write(lines.replace(/^/gm, `[${source}] `));
    },
    error: (message, err) => {
      const detail = err instanceof Error ? (err.stack ?? err.message) : err === undefined ? '' : String(err);
      write(`[aws] ERROR ${message}${detail ? '\n' + detail : ''}`);
    },
  };
}

const truncate = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
