import { startFrontendServer, type FrontendOptions, type FrontendServer } from './frontend-server.ts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether anything accepts a connection at `url`; only a refused connection counts as nothing. */
async function nothingAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    return false;
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    return code === 'ECONNREFUSED';
  }
}

/**
 * Makes sure something answers at the frontend URL: when it is local and nothing does, serves
 * `dir` there for the run, as `npm run site` would. A remote URL is left to the browser row to judge.
 */
export async function ensureFrontend(
  url: string,
  dir: string,
  apiBaseUrl: FrontendOptions['apiBaseUrl'],
): Promise<FrontendServer | undefined> {
  const u = new URL(url);
  if (!LOCAL_HOSTS.has(u.hostname) || !(await nothingAnswers(url))) return undefined;
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const mount = u.pathname.endsWith('/') ? u.pathname : `${u.pathname.replace(/[^/]*$/, '')}`;
  try {
    return await startFrontendServer({
      dir,
      apiBaseUrl,
      port,
      mount,
      host: u.hostname === '[::1]' ? '::1' : '127.0.0.1',
    });
  } catch (err) {
    // Someone started a server there in the meantime: use it.
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') return undefined;
    throw err;
  }
}
