import { startFrontendServer, type FrontendServer } from './frontend-server.ts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Makes sure something answers at the frontend URL: when it is local and nothing does, serves
 * `dir` there for the run, as `npm run site` would. A remote URL is left to the browser row to judge.
 */
export async function ensureFrontend(
  url: string,
  dir: string,
  apiBaseUrl: string,
): Promise<FrontendServer | undefined> {
  const u = new URL(url);
  const answers = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    async (res) => {
      await res.body?.cancel();
      return true;
    },
    () => false,
  );
  if (answers || !LOCAL_HOSTS.has(u.hostname)) return undefined;
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const mount = u.pathname.endsWith('/') ? u.pathname : `${u.pathname.replace(/[^/]*$/, '')}`;
  return startFrontendServer({
    dir,
    apiBaseUrl,
    port,
    mount,
    host: u.hostname === '[::1]' ? '::1' : '127.0.0.1',
  });
}
