import { AwsError } from './core/aws-error.ts';
import type { RequestContext } from './core/context.ts';

/** `GET /_emulator/health` and `POST /_emulator/reset`: the local AWS's own endpoints. */
export async function handleInternal(ctx: RequestContext): Promise<void> {
  const env = ctx.env;
  const route = `${ctx.method} ${ctx.rawPath}`;
  ctx.operation = ctx.rawPath.slice('/_emulator/'.length);
  if (route === 'GET /_emulator/health' || route === 'HEAD /_emulator/health') {
    const body = {
      status: 'ok',
      version: env.version,
      services: env.services.map((s) => s.name),
      uptimeSeconds: Math.round((Date.now() - env.startedAt) / 1000),
      dataDir: env.dataDir,
    };
    ctx.send(200, { 'Content-Type': 'application/json' }, JSON.stringify(body));
    return;
  }
  if (route === 'POST /_emulator/reset') {
    for (const service of env.services) await service.reset();
    await env.credentials.clear();
    env.logger.info('state reset');
    ctx.send(200, { 'Content-Type': 'application/json' }, JSON.stringify({ status: 'reset' }));
    return;
  }
  throw new AwsError('NotFound', `No internal endpoint ${route}`, { status: 404 });
}
