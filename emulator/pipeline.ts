import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize } from './auth/authorize.ts';
import { parseSigV2Query, verifySigV2Query } from './auth/sigv2.ts';
import { parseAuthorizationHeader, parsePresignedQuery, verifySigV4, type SigV4Parts } from './auth/sigv4.ts';
import { AwsError, commonErrors } from './core/aws-error.ts';
import { RequestContext } from './core/context.ts';
import type { EmulatorEnv, Service } from './core/env.ts';
import { injectedFault } from './core/faults.ts';
import { writeS3Error } from './protocols/rest-xml.ts';
import { handleInternal } from './internal.ts';

const EXECUTE_API = /^\/_aws\/execute-api\/([^/?]+)(\/.*)?$/;

/**
 * The one ordered pipeline every request goes through:
 * request id → internal endpoints → HTTP API data plane → S3 CORS preflight → which service
 * → authenticate → operation → injected faults (EMULATOR_FAULTS, tests only) → authorize → run
 * → serialize errors → one log line.
 */
export async function handle(env: EmulatorEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ctx = new RequestContext(req, res, env);
  const trace = (stage: string, detail?: string) => env.logger.debug(ctx.id, stage, detail);
  let service: Service | undefined;
  try {
    trace('received', `${ctx.method} ${ctx.rawPath}`);
    if (ctx.rawPath.startsWith('/_emulator/')) {
      ctx.service = 'emulator';
      await handleInternal(ctx);
      return;
    }

    const api = EXECUTE_API.exec(ctx.rawPath);
    if (api) {
      ctx.service = 'execute-api';
      trace('execute-api', api[1]);
      if (!env.executeApi) throw new AwsError('NotFound', 'Not Found', { status: 404 });
      await env.executeApi(ctx, api[1]!, api[2] ?? '/');
      return;
    }

    if (ctx.method === 'OPTIONS' && env.s3Preflight) {
      ctx.service = 's3';
      ctx.operation = 'PreflightRequest';
      trace('s3-preflight');
      await env.s3Preflight(ctx);
      return;
    }

    const sig = readSignature(ctx);
    service = pickService(env, sig);
    ctx.service = service.name;
    if (sig) ctx.region = sig.region;
    trace('service', `${service.name} (${sig ? `signed for ${sig.service}` : 'unsigned'})`);

    if (sig) {
      const key = await verifySigV4(ctx, sig, env.credentials);
      ctx.principal = key.principal;
      trace('authenticated', key.principal.type === 'anonymous' ? 'anonymous' : key.principal.arn);
    }
    // S3 still accepts SigV2 query-string signatures (boto3's default presigner in us-east-1, §9.6).
    const sigV2 = !sig && service.name === 's3' ? parseSigV2Query(ctx) : undefined;
    if (sigV2) {
      ctx.principal = verifySigV2Query(ctx, sigV2, env.credentials).principal;
      trace('authenticated', `SigV2 ${sigV2.accessKeyId}`);
    }

    const op = await service.resolve(ctx);
    ctx.operation = op.name;
    trace('operation', op.name);
    const fault = injectedFault(service.name, op.name);
    if (fault) throw fault;
    const authentication = op.authentication ?? 'request';
    if (authentication === 'request' && ctx.principal.type === 'anonymous' && service.name !== 's3')
      throw missingAuthentication(service.name);
    if (op.authorization && authentication === 'request') {
      authorize(ctx, op.authorization);
      trace('authorized', `${op.authorization.action} ${op.authorization.resource}`);
    }
    await op.run();
    trace('done', String(ctx.status));
  } catch (err) {
    writeError(ctx, service, err);
  } finally {
    if (!ctx.responded) writeError(ctx, service, commonErrors.internal());
    const done = () =>
      env.logger.request({
        id: ctx.id,
        operation: `${ctx.service}.${ctx.operation}`,
        status: ctx.status,
        ms: performance.now() - ctx.startedAt,
        method: ctx.method,
        path: ctx.rawPath,
      });
    if (res.writableFinished) done();
    else res.once('finish', done).once('close', () => res.writableFinished || done());
    // Drain what the operation did not read, so keep-alive connections stay usable.
    if (!req.readableEnded) req.resume();
  }
}

function readSignature(ctx: RequestContext): SigV4Parts | undefined {
  return parseAuthorizationHeader(ctx) ?? parsePresignedQuery(ctx);
}

/** The credential scope names the service; unsigned requests and the rest go to S3. */
function pickService(env: EmulatorEnv, sig: SigV4Parts | undefined): Service {
  const s3 = env.services.find((s) => s.name === 's3');
  if (sig) {
    const signed = env.services.find((s) => s.signingNames.includes(sig.service));
    if (signed) return signed;
    if (sig.service !== 's3' || !s3)
      throw new AwsError(
        'UnrecognizedClientException',
        `The local AWS does not emulate the ${sig.service} service.`,
        {
          status: 400,
        },
      );
  }
  if (!s3)
    throw new AwsError('NotImplemented', 'S3 is not available in this build of the local AWS.', {
      status: 501,
    });
  return s3;
}

function missingAuthentication(service: string): AwsError {
  return service === 'lambda' || service === 'apigatewayv2'
    ? new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', { status: 403 })
    : new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', { status: 403 });
}

function writeError(ctx: RequestContext, service: Service | undefined, err: unknown): void {
  let error: AwsError;
  if (err instanceof AwsError) error = err;
  else {
    ctx.env.logger.error(`${ctx.id} unexpected error in ${ctx.service}.${ctx.operation}`, err);
    error = commonErrors.internal();
  }
  if (ctx.responded) {
    // Too late for a clean error: the body was already streaming. Cut the connection.
    ctx.res.destroy();
    return;
  }
  try {
    if (service) service.writeError(ctx, error);
    else if (ctx.service === 'execute-api' || ctx.service === 'emulator')
      ctx.send(
        error.status,
        { 'Content-Type': 'application/json' },
        JSON.stringify({ message: error.message }),
      );
    else writeS3Error(ctx, error);
  } catch (writeErr) {
    ctx.env.logger.error(`${ctx.id} could not write error`, writeErr);
    ctx.res.destroy();
  }
}
