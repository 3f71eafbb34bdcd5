#!/usr/bin/env tsx
// `npm run site`: the lab page with a live checklist, and the student's frontend at /app/.
import { parseArgs } from 'node:util';
import { startSite } from './site-server.ts';

// The SDK's notice about Node 20 support is not the student's concern here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const usage = `Usage: npm run site -- [--port 5173] [--local] [--solution] [--profile P] [--region R] [--frontend-dir DIR]

Serves the lab page on http://localhost:5173/ and your frontend on http://localhost:5173/app/
(one origin: the one your CORS settings allow). The page's checklist runs the same checks as
"npm run check", against the same AWS.
  --port N            port (0 picks a free one)                      default 5173
  --local             check the local AWS (http://localhost:4566) instead of your account
  --solution          serve the reference frontend (solution/frontend) instead of lab/frontend
  --frontend-dir DIR  serve another frontend folder
  --profile P         AWS profile (default: the standard credential chain)
  --region R          AWS region`;

let values;
try {
  values = parseArgs({
    options: {
      port: { type: 'string', default: '5173' },
      local: { type: 'boolean', default: false },
      solution: { type: 'boolean', default: false },
      'frontend-dir': { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  console.error(`LAB_USAGE: ${(err as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`LAB_USAGE: --port must be a number from 0 to 65535, not "${values.port}".`);
  process.exit(2);
}
const frontendDir = values['frontend-dir'] ?? (values.solution ? 'solution/frontend' : 'lab/frontend');
try {
  const site = await startSite({
    port,
    frontendDir,
    checks: {
      local: values.local,
      ...(values.profile ? { profile: values.profile } : {}),
      ...(values.region ? { region: values.region } : {}),
    },
  });
  console.error(
    `Lab page: ${site.url}/\nYour app: ${site.url}/app/  (serving ${frontendDir})\nCtrl-C to stop.`,
  );
  const stop = () => site.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    console.error(
      `LAB_PORT_IN_USE: port ${port} is taken. Stop what runs there, or pass --port (then allow that origin in your CORS settings).`,
    );
    process.exit(2);
  }
  throw err;
}
