import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveRun } from '../../checks/discovery.ts';
import { destroyClients } from '../../checks/lib/aws.ts';
import { createFrontendHandler } from '../../checks/lib/frontend-server.ts';
import type { LabOutputs } from '../../checks/lib/outputs.ts';
import type { CheckOptions } from '../../checks/options.ts';
import { lastRunFile, readLastRun } from '../../checks/report/last-run.ts';
import { rows } from '../../checks/rows/index.ts';
import { diagramSvg } from './diagram.ts';
import { labPage } from './layout.ts';
import { renderLabFile } from './render-lab.ts';
import { streamChecks } from './check-stream.ts';

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface SiteOptions {
  port: number;
  host?: string;
  /** The lesson; default LAB.md in the working directory. */
  labFile?: string;
  /** The frontend served at /app/ (lab/frontend, or solution/frontend with --solution). */
  frontendDir: string;
  /** How the checks reach AWS (local, profile, region, outputs…). */
  checks: CheckOptions;
}

export interface RunningSite {
  url: string;
  port: number;
  /** Changes what the checks target (e.g. once a deploy has finished) and re-reads it. */
  configure(checks: CheckOptions): Promise<void>;
  close(): Promise<void>;
}

/**
 * `npm run site`: the lab page at `/`, the student's frontend at `/app/` (one origin, the one the
 * CORS settings allow), and `/api/checks/run`, which streams a checker run as Server-Sent Events.
 */
export async function startSite(options: SiteOptions): Promise<RunningSite> {
  let apiBaseUrl = '';
  let stack: LabOutputs | undefined;
  let url = '';
  const labFile = options.labFile ?? 'LAB.md';
  let checks = options.checks;
  const checkOptions = (): CheckOptions => ({
    ...checks,
    frontendUrl: `${url}/app/`,
    frontendDir: options.frontendDir,
  });
  const refreshTarget = () =>
    resolveRun(checkOptions()).then(
      (run) => {
        apiBaseUrl = run.target.apiEndpoint;
        stack = run.target;
        destroyClients(run.aws);
      },
      () => undefined, // nothing deployed yet: the page still serves; a check run says what is missing
    );
  const frontend = createFrontendHandler({ dir: options.frontendDir, apiBaseUrl: () => apiBaseUrl });

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      const lab = await renderLabFile(labFile, {
        flow: diagramSvg({ prefix: 'lesson-' }),
      });
      const target = apiBaseUrl || 'nothing deployed found yet (run the deploy, or the checks to see why)';
      send(
        res,
        200,
        'text/html; charset=utf-8',
        labPage({
          lab,
          rows: rows.map(({ id, title, step }) => ({ id, title, step })),
          target,
          api: apiBaseUrl,
        }),
      );
      return;
    }
    if (req.method === 'GET' && path.startsWith('/static/')) {
      const name = path.slice('/static/'.length);
      if (!/^[a-z0-9-]+\.(js|css|svg)$/.test(name)) return send(res, 404, 'text/plain', 'not found\n');
      const body = await readFile(join(PUBLIC, name)).catch(() => undefined);
      if (!body) return send(res, 404, 'text/plain', 'not found\n');
      return send(res, 200, TYPES[extname(name)] ?? 'application/octet-stream', body);
    }
    if (req.method === 'GET' && path === '/api/checks/run') {
      const only = new URL(req.url ?? '/', 'http://x').searchParams.getAll('only');
      // A deploy may have happened since the page was opened: /app/config.js must follow it.
      await refreshTarget();
      await streamChecks(req, res, { ...checkOptions(), ...(only.length ? { only } : {}) });
      return;
    }
    if (req.method === 'GET' && path === '/api/checks/last') {
      // The latest run of any process (npm run check, npm run demo, this page) against this stack.
      const last = stack ? await readLastRun(stack, lastRunFile(checks.cwd)) : undefined;
      return send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(last ?? null)}\n`);
    }
    if (await frontend(req, res)) return;
    send(res, 404, 'text/plain', 'not found\n');
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `lab page error: ${(err as Error).message}\n`);
      else res.end();
    });
  };
  const listen = (host: string, port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(listener);
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  // Both loopbacks, so "localhost" reaches the page whichever address a client tries first.
  const hosts = options.host ? [options.host] : ['127.0.0.1', '::1'];
  const servers = [await listen(hosts[0]!, options.port)];
  const port = (servers[0]!.address() as AddressInfo).port;
  for (const host of hosts.slice(1))
    servers.push(
      ...(await listen(host, port).then(
        (s) => [s],
        () => [],
      )),
    );
  url = `http://localhost:${port}`;
  await refreshTarget();
  return {
    url,
    port,
    configure: async (next) => {
      checks = next;
      await refreshTarget();
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}
