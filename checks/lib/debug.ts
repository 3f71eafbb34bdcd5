const enabled = Boolean(process.env['LAB_DEBUG']);
const t0 = Date.now();

/** `LAB_DEBUG=1 npm run check`: timestamps of the run's phases on stderr, to see where time goes. */
export function debug(message: string): void {
  if (enabled) process.stderr.write(`[lab +${Date.now() - t0} ms] ${message}\n`);
}
