// The Node.js runtime of the local AWS: one warm execution environment of one function.
// It loads the handler once (the init phase), then runs one invocation at a time as the
// emulator asks. Messages travel over fd 3, one JSON object per line (see ../protocol.ts).
// Mirrors the behaviour of aws-lambda-nodejs-runtime-interface-client (handler resolution,
// error shapes, console format). https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { createInterface } from 'node:readline';

const channel = new Socket({ fd: 3, readable: true, writable: true });
const send = (message, done) => channel.write(JSON.stringify(message) + '\n', done);
const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const handlerString = process.env._HANDLER ?? '';

let current; // the invocation running now: { id, settled }

// ---- console and stdout/stderr: every line goes to the emulator, tagged like AWS's text format
const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const [method, level] of Object.entries(levels)) {
  console[method] = (...args) => {
    let text = format(...args);
    if (method === 'trace') text += '\n' + new Error().stack.split('\n').slice(2).join('\n');
    log(`${new Date().toISOString()}\t${current?.id ?? 'undefined'}\t${level}\t${text}\n`);
  };
}
const log = (text) => send({ t: 'log', s: text });
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk, encoding, cb) => {
    log(
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'),
    );
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) process.nextTick(done);
    return true;
  };
}

// ---- errors in the shapes Lambda returns (errorType / errorMessage / trace)
function toPayload(error) {
  if (error instanceof RuntimeError) {
    const stack = (error.stack ?? '').split('\n');
    return {
      errorType: error.type,
      errorMessage: error.message,
      trace: [`${error.type}: ${error.message}`, ...stack.slice(1)],
    };
  }
  if (error instanceof Error)
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** An error the runtime itself raises (`Runtime.HandlerNotFound`, …), optionally wrapping the user's. */
class RuntimeError extends Error {
  constructor(type, message, cause) {
    super(message);
    this.type = type;
    if (cause?.stack) this.stack = `${type}: ${message}\n${cause.stack.split('\n').slice(1).join('\n')}`;
  }
}

// ---- init: resolve `dir/module.fn.nested` like the Lambda runtime does
async function loadHandler() {
  const slash = handlerString.lastIndexOf('/');
  const moduleRoot = handlerString.slice(0, slash + 1);
  const moduleAndFn = handlerString.slice(slash + 1);
  const dot = moduleAndFn.indexOf('.');
  if (dot <= 0) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const moduleName = moduleAndFn.slice(0, dot);
  const fnPath = moduleAndFn.slice(dot + 1);
  const base = path.resolve(taskRoot, moduleRoot, moduleName);
  let mod;
  try {
    mod = await importFirst(base, moduleName, path.resolve(taskRoot, moduleRoot));
  } catch (err) {
    if (err instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', String(err), err);
    if (err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_MODULE_NOT_FOUND')
      throw new RuntimeError('Runtime.ImportModuleError', String(err), err);
    throw err;
  }
  const pick = (root) => fnPath.split('.').reduce((o, key) => (o == null ? undefined : o[key]), root);
  const fn = pick(mod) ?? pick(mod?.default);
  if (fn === undefined || fn === null)
    throw new RuntimeError('Runtime.HandlerNotFound', `${moduleAndFn} is undefined or not exported`);
  if (typeof fn !== 'function')
    throw new RuntimeError('Runtime.HandlerNotFound', `${moduleAndFn} is not a function`);
  return fn;
}

/** `.js` (CommonJS unless package.json says "type": "module"), `.mjs`, `.cjs`, then node resolution. */
async function importFirst(base, moduleName, moduleDir) {
  for (const ext of ['.js', '.mjs', '.cjs'])
    if (existsSync(base + ext)) return import(pathToFileURL(base + ext).href);
  const require = createRequire(path.join(taskRoot, 'index.js'));
  return require(require.resolve(moduleName, { paths: [moduleDir, taskRoot] }));
}

// ---- invoke
function runInvocation(message, handler) {
  const deadline = message.deadline;
  process.env._X_AMZN_TRACE_ID = message.traceId;
  const invocation = { id: message.id, settled: false };
  current = invocation;
  const finish = (err, result) => {
    if (invocation.settled) return;
    invocation.settled = true;
    if (err !== undefined && err !== null) return reportError(invocation, toPayload(err));
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result) ?? 'null';
    } catch (e) {
      return reportError(invocation, {
        errorType: 'Runtime.MarshalError',
        errorMessage: `Unable to stringify response body: ${e.message}`,
        trace: [],
      });
    }
    send({ t: 'result', id: invocation.id, payload });
  };
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: message.arn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.id,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    clientContext: message.clientContext,
    identity: undefined,
    done: (err, result) => finish(err, result),
    succeed: (result) => finish(null, result),
    fail: (err) => finish(err ?? 'handled'),
  };
  try {
    const returned = handler(JSON.parse(message.event), context, (err, result) => finish(err, result));
    if (returned && typeof returned.then === 'function')
      returned.then(
        (r) => finish(null, r),
        (e) => finish(e ?? 'null'),
      );
    else if (handler.length < 3) finish(null, null); // a synchronous handler answers through its callback only
  } catch (err) {
    finish(err);
  }
}

function reportError(invocation, payload, exit) {
  const { errorType, errorMessage, trace } = payload;
  console.error('Invoke Error \t' + JSON.stringify({ errorType, errorMessage, stack: trace }));
  send({ t: 'error', id: invocation.id, error: payload, ...(exit ? { fatal: true } : {}) }, exit);
}

/** An uncaught exception or unhandled rejection fails the running invocation, then ends the process. */
function crash(payload, exitCode) {
  const invocation = current;
  const exit = () => process.exit(exitCode);
  if (!invocation || invocation.settled) {
    console.error('Uncaught Exception \t' + JSON.stringify(payload));
    return channel.write('', exit);
  }
  invocation.settled = true;
  reportError(invocation, payload, exit);
}
process.on('uncaughtException', (err) => crash(toPayload(err), 129));
process.on('unhandledRejection', (reason) => {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  crash(toPayload(new RuntimeError('Runtime.UnhandledPromiseRejection', message, reason)), 128);
});

// ---- main loop
let handler;
try {
  handler = await loadHandler();
  send({ t: 'ready', pid: process.pid });
} catch (err) {
  const payload = toPayload(err);
  const { errorType, errorMessage, trace } = payload;
  console.error('Uncaught Exception \t' + JSON.stringify({ errorType, errorMessage, stack: trace }));
  send({ t: 'init-error', error: payload });
}
const lines = createInterface({ input: channel, crlfDelay: Infinity });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  if (message.t === 'invoke' && handler) runInvocation(message, handler);
});
// The emulator went away: so do we.
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));
