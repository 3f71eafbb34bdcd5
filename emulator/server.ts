import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CredentialStore, type RootCredentials } from './auth/credentials.ts';
import { Consistency, consistencyOptions, type ConsistencyMode } from './core/consistency.ts';
import type { EmulatorEnv } from './core/env.ts';
import { createLogger, type Logger } from './core/log.ts';
import { answerClientError } from './client-error.ts';
import { handle } from './pipeline.ts';
import { serviceFactories } from './services/index.ts';

export interface EmulatorOptions {
  /** 0 picks a free port. Default 4566. */
  port?: number;
  /** Default: loopback only (127.0.0.1 and ::1). */
  host?: string;
  /** Where state lives. Default `.lab/emulator`. */
  dataDir?: string;
  /** Start empty. */
  reset?: boolean;
  /** Root credentials; default `test` / `test`. */
  credentials?: RootCredentials[];
  /** No per-request log lines. */
  quiet?: boolean;
  logger?: Logger;
  /** `aws`: changes take effect after AWS's delays (`core/consistency.ts`). Default `EMULATOR_CONSISTENCY`, else `immediate`. */
  consistency?: ConsistencyMode;
  /** Multiplies those delays. Default `EMULATOR_CONSISTENCY_SCALE`, else 1. */
  consistencyScale?: number;
}

export interface RunningEmulator {
  /** e.g. `http://localhost:4566` */
  url: string;
  port: number;
  dataDir: string;
  /** The timing mode it runs in. */
  consistency: Consistency;
  stop(): Promise<void>;
}

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Starts the local AWS. State persists in `dataDir`; `stop()` closes it cleanly. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const dataDir = resolve(options.dataDir ?? '.lab/emulator');
  if (options.reset) await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const logger = options.logger ?? createLogger({ quiet: options.quiet ?? false });
  const fromEnv = consistencyOptions(
    process.env['EMULATOR_CONSISTENCY'] || undefined,
    process.env['EMULATOR_CONSISTENCY_SCALE'],
  );
  const consistency = new Consistency({
    mode: options.consistency ?? fromEnv.mode,
    scale: options.consistencyScale ?? fromEnv.scale,
  });
  const env: EmulatorEnv = {
    version: await version(),
    dataDir,
    port: options.port ?? 4566,
    startedAt: Date.now(),
    logger,
    credentials: await CredentialStore.open(
      join(dataDir, 'sts', 'sessions'),
      options.credentials ?? [{ accessKeyId: 'test', secretAccessKey: 'test' }],
    ),
    consistency,
    services: [],
  };
  for (const factory of serviceFactories) env.services.push(await factory(env));

  const servers: Server[] = [];
  // The response being written on each connection, so a parse error on the same connection waits for it.
  const inFlight = new WeakMap<object, { req: IncomingMessage; res: ServerResponse }>();
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    inFlight.set(req.socket, { req, res });
    res.once('close', () => inFlight.get(req.socket)?.res === res && inFlight.delete(req.socket));
    handle(env, req, res).catch((err: unknown) => {
      logger.error('request pipeline failed', err);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const listen = (host: string, port: number) =>
    new Promise<Server>((resolveListen, reject) => {
      const server = createServer({ requestTimeout: 30 * 60_000, headersTimeout: 60_000 }, listener);
      server.keepAliveTimeout = 5_000;
      server.on('clientError', (err: NodeJS.ErrnoException, socket) =>
        answerClientError(err, socket, inFlight.get(socket)),
      );
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolveListen(server);
      });
    });

  const hosts = options.host ? [options.host] : ['127.0.0.1', '::1'];
  const first = await listen(hosts[0]!, env.port);
  servers.push(first);
  env.port = (first.address() as AddressInfo).port;
  for (const host of hosts.slice(1)) {
    // IPv6 loopback is a convenience for clients that try ::1 first; its absence is fine.
    servers.push(
      ...(await listen(host, env.port).then(
        (s) => [s],
        () => [],
      )),
    );
  }
  const urlHost =
    options.host && !['127.0.0.1', '::1', '0.0.0.0', '::'].includes(options.host)
      ? options.host
      : 'localhost';
  const url = `http://${urlHost}:${env.port}`;
  logger.info(`local AWS listening on ${url} (data: ${dataDir}, consistency: ${consistency.describe()})`);

  let stopped: Promise<void> | undefined;
  return {
    url,
    port: env.port,
    dataDir,
    consistency,
    stop: () =>
      (stopped ??= (async () => {
        await Promise.all(
          servers.map(
            (s) =>
              new Promise<void>((done) => {
                s.close(() => done());
                s.closeAllConnections();
              }),
          ),
        );
        for (const service of env.services) await service.close?.();
      })()),
  };
}
