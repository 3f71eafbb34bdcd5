import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../server.ts';

export interface TestEmulator extends RunningEmulator {
  /** Stops the emulator and removes its data folder. */
  stop(): Promise<void>;
  /** Stops it but keeps the data, to start another one on the same folder (restart tests). */
  stopKeepingData(): Promise<void>;
}

/** Starts a quiet local AWS on a free port with a fresh temp data folder. */
export async function startTestEmulator(
  options: { dataDir?: string } & Pick<EmulatorOptions, 'consistency' | 'consistencyScale'> = {},
): Promise<TestEmulator> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'aws-emulator-test-')));
  const emulator = await startEmulator({
    port: 0,
    dataDir,
    quiet: true,
    // Tests choose their timing; the shell's EMULATOR_CONSISTENCY does not leak into them.
    consistency: options.consistency ?? 'immediate',
    ...(options.consistencyScale !== undefined && { consistencyScale: options.consistencyScale }),
  });
  return {
    ...emulator,
    stopKeepingData: () => emulator.stop(),
    async stop() {
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
