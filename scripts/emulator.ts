#!/usr/bin/env tsx
// `npm run emulator`: starts the local AWS in the foreground until Ctrl-C.
import { parseArgs } from 'node:util';
import { consistencyOptions } from '../emulator/core/consistency.ts';
import { startEmulator } from '../emulator/server.ts';

const usage = `Usage: npm run emulator -- [--port 4566] [--host 127.0.0.1] [--data .lab/emulator] [--reset] [--quiet]
                            [--consistency immediate|aws] [--consistency-scale F]

Starts the local AWS (S3, IAM, STS, Lambda, API Gateway HTTP APIs) on http://localhost:4566.
Credentials test / test, account 000000000000, any region. State persists in --data.
  --port N      port to listen on (0 picks a free one)            default 4566
  --host H      address to listen on                              default loopback (127.0.0.1 and ::1)
  --data DIR    where state is kept                               default .lab/emulator
  --reset       start empty (deletes DIR first)
  --quiet       no per-request log lines
  --consistency immediate: every change takes effect at once        default immediate
                aws: AWS's delays (emulator/core/consistency.ts): a new role is refused by
                Lambda for 6 s, policy changes apply after 4 s, functions stay Pending /
                InProgress 1.5 s, bucket and HTTP API settings apply after 2 s
                (env EMULATOR_CONSISTENCY)
  --consistency-scale F  multiplies those delays, e.g. 0.2         default 1
                (env EMULATOR_CONSISTENCY_SCALE)
Set EMULATOR_DEBUG=1 to trace every pipeline stage. EMULATOR_FAULTS=throttle:lambda.Invoke:1.0
(tests only) throttles matching operations; see emulator/README.md.`;

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string' },
      data: { type: 'string', default: '.lab/emulator' },
      reset: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      consistency: { type: 'string' },
      'consistency-scale': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  console.error(`LAB_USAGE: ${(err as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`LAB_USAGE: --port must be a number from 0 to 65535, not "${args.port}".`);
  process.exit(2);
}
let consistency;
try {
  consistency = consistencyOptions(
    args.consistency ?? (process.env['EMULATOR_CONSISTENCY'] || undefined),
    args['consistency-scale'] ?? process.env['EMULATOR_CONSISTENCY_SCALE'],
  );
} catch (err) {
  console.error(`LAB_USAGE: ${(err as Error).message}.`);
  process.exit(2);
}

try {
  const emulator = await startEmulator({
    consistency: consistency.mode,
    consistencyScale: consistency.scale,
    port,
    dataDir: args.data,
    reset: args.reset,
    quiet: args.quiet,
    ...(args.host ? { host: args.host } : {}),
  });
  console.error(
    `Ready. Try: AWS_ENDPOINT_URL=${emulator.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws s3 ls`,
  );
  const shutdown = () => {
    console.error('stopping…');
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    console.error(
      `LAB_PORT_IN_USE: port ${port} is taken (is the local AWS already running?). Stop it or pass --port.`,
    );
    process.exit(2);
  }
  throw err;
}
