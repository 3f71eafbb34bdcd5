/**
 * The local AWS as a server under test, in its own process: `node scripts/run.mjs
 * bench/servers/emulator-server.ts DATA_DIR [--keep] [--reports=FN,…]`. Announces `{url}`; with
 * `--reports` also the REPORT line of each invocation of those functions, as `{report: FN,
 * durationMs, billedMs, maxMemoryMb}`. SIGTERM stops it cleanly.
 */
import { createLogger, type Logger } from '../../emulator/core/log.ts';
import { startEmulator } from '../../emulator/server.ts';
import { announce, stopWith } from '../lib/child.ts';

const [dataDir, ...flags] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: emulator-server.ts DATA_DIR [--keep] [--reports=FN,…]');
const reported = new Set(
  flags
    .find((f) => f.startsWith('--reports='))
    ?.slice('--reports='.length)
    .split(',') ?? [],
);

const REPORT =
  /^REPORT RequestId: \S+\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms\t.*Max Memory Used: (\d+) MB/m;
const quiet = createLogger({ quiet: true });
const logger: Logger = reported.size
  ? {
      ...quiet,
      output: (source, text) => {
        if (!reported.has(source.replace(/^fn:/, ''))) return;
        const m = REPORT.exec(text);
        if (m)
          announce({
            report: source.replace(/^fn:/, ''),
            durationMs: Number(m[1]),
            billedMs: Number(m[2]),
            maxMemoryMb: Number(m[3]),
          });
      },
    }
  : quiet;

const emulator = await startEmulator({ port: 0, dataDir, reset: !flags.includes('--keep'), logger });
announce({ url: emulator.url });
stopWith(() => emulator.stop());
