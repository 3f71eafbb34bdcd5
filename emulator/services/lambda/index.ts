import { AwsError } from '../../core/aws-error.ts';
import type { EmulatorEnv, LambdaGateway, Service } from '../../core/env.ts';
import { writeJsonError } from '../../protocols/rest-json.ts';
import { lambdaErrorBody } from './errors.ts';
import { MAX_REQUEST_BYTES, tooLarge } from './handlers/invoke.ts';
import { allowsServiceInvoke } from './policy.ts';
import { resolveOperation } from './routes.ts';
import { LambdaState } from './state.ts';

/**
 * Lambda: functions (control plane, REST-JSON under /2015-03-31 and /2017-03-31/tags), and
 * their invocation in warm Node.js / Python worker processes.
 */
export async function createLambdaService(env: EmulatorEnv): Promise<Service> {
  const lambda = await LambdaState.open(env);
  env.lambda = gateway(lambda);
  return {
    name: 'lambda',
    signingNames: ['lambda'],
    resolve: (ctx) => resolveOperation(ctx, lambda),
    writeError: (ctx, err) => {
      // A body over the general limit is refused before Invoke runs; answer in Invoke's words.
      const error =
        err.code === 'RequestEntityTooLargeException' &&
        /\/invocations\/?$/.test(ctx.rawPath) &&
        err.message !== tooLarge().message
          ? tooLarge()
          : err;
      writeJsonError(ctx, error, lambdaErrorBody);
    },
    reset: () => lambda.reset(),
    close: () => lambda.close(),
  };
}

/** What Lambda offers API Gateway and S3 notifications. */
function gateway(lambda: LambdaState): LambdaGateway {
  return {
    functionArn: (nameOrArn) => {
      const name =
        /^arn:aws:lambda:[^:]+:\d{12}:function:([^:]+)/.exec(nameOrArn)?.[1] ?? nameOrArn.split(':').pop()!;
      const region = /^arn:aws:lambda:([^:]+):/.exec(nameOrArn)?.[1];
      const record = region
        ? lambda.functions.find(region, name)
        : lambda.functions.all().find((r) => r.name === name);
      return record?.arn;
    },
    allowsInvoke: (functionArn, principal, sourceArn, sourceAccount) => {
      const record = lambda.byArn(functionArn);
      return record !== undefined && allowsServiceInvoke(record, principal, sourceArn, sourceAccount);
    },
    invoke: async ({ functionArn, payload, invocationType, timeoutMs }) => {
      const record = lambda.byArn(functionArn);
      if (!record)
        throw new AwsError('ResourceNotFoundException', `Function not found: ${functionArn}`, {
          status: 404,
        });
      if (invocationType === 'Event') {
        lambda.async.enqueue(record.arn, payload);
        return { payload: Buffer.alloc(0) };
      }
      // Lambda's 6 MB synchronous limit holds for the services' events too (API Gateway's).
      if (payload.length > MAX_REQUEST_BYTES) throw tooLarge();
      const running = lambda.invoke(record, payload);
      const result =
        timeoutMs === undefined ? await running : await Promise.race([running, giveUp(timeoutMs)]);
      if (!result) return { payload: Buffer.alloc(0), timedOut: true };
      return {
        payload: result.payload,
        ...(result.functionError ? { functionError: result.functionError } : {}),
        logTail: result.logTail,
        ...(result.timedOut ? { timedOut: true } : {}),
      };
    },
  };
}

/** Resolves undefined after `ms` (the caller stops waiting; the invocation runs on). */
const giveUp = (ms: number) =>
  new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref());
