import type { TLSSocket } from 'node:tls';
import type { RequestContext } from '../core/context.ts';

/**
 * `aws:SecureTransport` for a request. DECISION: plain HTTP to the local AWS counts as secure
 * (`"true"`). It stands for AWS's HTTPS endpoint — every client the lab uses reaches AWS over
 * TLS — so the common bucket-policy statement "Deny unless aws:SecureTransport" behaves as it
 * does for those clients on AWS instead of denying every request. `EMULATOR_SECURE_TRANSPORT=false`
 * (read per request, like EMULATOR_FAULTS) makes plain HTTP insecure, to see what a real
 * `http://` client gets on AWS; a TLS socket is always secure.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
 */
export function secureTransport(ctx: RequestContext): 'true' | 'false' {
  if ((ctx.req.socket as Partial<TLSSocket>).encrypted) return 'true';
  return process.env['EMULATOR_SECURE_TRANSPORT'] === 'false' ? 'false' : 'true';
}

/** `aws:SourceIp`: the caller's address as the socket saw it (IPv4-mapped IPv6 shown as IPv4). */
export function sourceIp(ctx: RequestContext): string | undefined {
  const address = ctx.req.socket.remoteAddress;
  return address?.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/** The global condition keys every request carries, whoever signed it. */
export function globalContext(ctx: RequestContext): Record<string, string> {
  const ip = sourceIp(ctx);
  const now = new Date();
  return {
    'aws:SecureTransport': secureTransport(ctx),
    ...(ip ? { 'aws:SourceIp': ip } : {}),
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
  };
}
