import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface FrontendOptions {
  /** The frontend folder (`lab/frontend`, `solution/frontend`). */
  dir: string;
  /**
   * What `config.js` announces as `apiBaseUrl`; a function is read on every request, and may return
   * a promise (the checker starts serving before discovery has found the API).
   */
  apiBaseUrl: string | (() => string | Promise<string>);
  /** Where the frontend is mounted; default `/app/`. */
  mount?: string;
}

/** The `config.js` the frontend reads (docs/contracts.md, "Frontend conventions"). */
export function configScript(apiBaseUrl: string): string {
  return `window.LAB_CONFIG = { apiBaseUrl: ${JSON.stringify(apiBaseUrl)} };\n`;
}

/**
 * A request handler serving a frontend folder under `/app/`, with `config.js` answered from the
 * deployed outputs. Returns false for paths outside the mount so a larger server (the lab page)
 * can handle them.
 */
export function createFrontendHandler(options: FrontendOptions) {
  const mount = options.mount ?? '/app/';
  const root = resolve(options.dir);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === mount.slice(0, -1)) {
      res.writeHead(301, { location: mount }).end();
      return true;
    }
    if (!path.startsWith(mount)) return false;
    const rel = path.slice(mount.length) || 'index.html';
    if (rel === 'config.js') {
      const api = typeof options.apiBaseUrl === 'function' ? await options.apiBaseUrl() : options.apiBaseUrl;
      send(res, 200, TYPES['.js'], configScript(api));
      return true;
    }
    const file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) {
      send(res, 403, TYPES['.txt'], 'forbidden\n');
      return true;
    }
    try {
      const body = await readFile(file);
      send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body);
    } catch {
      send(res, 404, TYPES['.txt'], 'not found\n');
    }
    return true;
  };
}

function send(res: ServerResponse, status: number, type: string | undefined, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type ?? 'text/plain', 'cache-control': 'no-store' }).end(body);
}

export interface FrontendServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a frontend alone, as `npm run site` would, on `port` (0 = any free port) of the loopback. */
export async function startFrontendServer(
  options: FrontendOptions & { port: number; host?: string },
): Promise<FrontendServer> {
  const handle = createFrontendHandler(options);
  const server = createServer((req, res) => {
    handle(req, res)
      .then((handled) => {
        if (!handled) send(res, 404, TYPES['.txt'], 'not found\n');
      })
      .catch(() => send(res, 500, TYPES['.txt'], 'error\n'));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(options.port, host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}${options.mount ?? '/app/'}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
