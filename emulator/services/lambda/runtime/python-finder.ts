import { execFile } from 'node:child_process';

/** A python3 that can import boto3, or why none could. */
export type PythonLookup = { ok: true; command: string; version: string } | { ok: false; reasons: string[] };

let cached: { key: string; result: Promise<PythonLookup> } | undefined;

/**
 * The python3 that runs `python3.x` functions: `EMULATOR_PYTHON` when set, else
 * `/usr/bin/python3` if it can import boto3, else the `python3` on PATH if it can. Looked up once.
 */
export function findPython(): Promise<PythonLookup> {
  const override = process.env['EMULATOR_PYTHON'];
  const candidates = override ? [override] : ['/usr/bin/python3', 'python3'];
  const key = candidates.join('\0');
  if (cached?.key !== key) cached = { key, result: lookup(candidates) };
  return cached.result;
}

async function lookup(candidates: string[]): Promise<PythonLookup> {
  const reasons: string[] = [];
  for (const command of candidates) {
    const probe = await run(command, ['-c', 'import sys, boto3; print(sys.version.split()[0])']);
    if (probe.ok) return { ok: true, command, version: probe.out.trim() };
    reasons.push(`${command}: ${probe.why}`);
  }
  return { ok: false, reasons };
}

function run(
  command: string,
  args: string[],
): Promise<{ ok: true; out: string } | { ok: false; why: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, out: stdout });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve({ ok: false, why: 'not found' });
      const last = stderr.trim().split('\n').pop() ?? err.message;
      resolve({ ok: false, why: last.includes('boto3') ? 'cannot import boto3' : last });
    });
  });
}
