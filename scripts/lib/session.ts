import { setTimeout as sleep } from 'node:timers/promises';
import { readOutputs, type LabOutputs } from '../../checks/lib/outputs.ts';
import { toLabError } from './aws-errors.ts';
import { createClients } from './clients.ts';
import type { RunContext } from './context.ts';
import { checkOrigin, DEFAULT_ORIGIN, DEFAULT_PREFIX, labNames } from './names.ts';
import { resolveTarget, type TargetOptions } from './target.ts';

export interface SessionOptions extends TargetOptions {
  /** Resource-name prefix (default `upload-lab`). */
  name?: string;
  /** Frontend origin the CORS settings allow (default `http://localhost:5173`). */
  origin?: string;
  /** Progress lines other than resource changes (waits, targets). */
  onNote?: (message: string) => void;
}

/** Opens clients on the target and names everything; `close()` when done. */
export async function openSession(opts: SessionOptions): Promise<RunContext & { close(): void }> {
  const origin = checkOrigin(opts.origin ?? DEFAULT_ORIGIN);
  const prefix = opts.name ?? DEFAULT_PREFIX;
  labNames(prefix, '000000000000', 'us-east-1'); // refuse a bad prefix before any network call
  const target = await resolveTarget(opts);
  const clients = createClients(target);
  return {
    target,
    clients,
    names: labNames(prefix, target.account, target.region),
    origin,
    waitForIam: target.endpoint === undefined,
    found: { roleArns: {}, functionArns: {} },
    iamChanged: false,
    ...(opts.onNote && { note: opts.onNote }),
    close: () => clients.destroy(),
  };
}

/** Runs `body` in a session and turns whatever AWS threw into a coded `LabError`. */
export async function withSession<T>(
  opts: SessionOptions,
  body: (ctx: RunContext) => Promise<T>,
): Promise<T> {
  const ctx = await openSession(opts);
  try {
    return await body(ctx);
  } catch (err) {
    throw toLabError(err, { endpoint: ctx.target.endpoint, region: ctx.target.region });
  } finally {
    ctx.close();
  }
}

/** On real AWS a changed role or policy takes a few seconds to reach Lambda and S3. */
export async function settleIam(
  ctx: RunContext,
  onNote: (message: string) => void = () => {},
): Promise<void> {
  if (!ctx.iamChanged || !ctx.waitForIam) return;
  onNote('waiting 10 s for IAM changes to propagate');
  await sleep(10_000);
}

/**
 * Fills target options a caller left out from an earlier deploy's outputs, so that
 * `npm run solve -- api-cors` finds the stack `npm run deploy -- --local` made. Explicit
 * options win; choosing real AWS (--region/--profile) ignores a recorded local endpoint.
 */
export async function withOutputsDefaults<T extends SessionOptions>(
  opts: T,
  outputsFile: string | undefined,
): Promise<{ opts: T; outputs: LabOutputs | undefined }> {
  const outputs = outputsFile ? await readOutputs(outputsFile) : undefined;
  if (!outputs) return { opts, outputs };
  const explicitTarget = opts.local || opts.endpoint || opts.region || opts.profile;
  const filled: T = { ...opts };
  if (!explicitTarget && outputs.endpoint) filled.endpoint = outputs.endpoint;
  if (!explicitTarget || opts.local || opts.endpoint) {
    if (filled.region === undefined && outputs.region) filled.region = outputs.region;
  }
  filled.name ??= outputs.name;
  filled.origin ??= outputs.frontendOrigin;
  return { opts: filled, outputs };
}
