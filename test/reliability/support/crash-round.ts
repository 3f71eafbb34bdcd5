import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabOutputs } from '../../../checks/lib/outputs.ts';
import { lambdaWorkers, type CrashableEmulator } from './crash-emulator.ts';
import {
  postWithTicket,
  randomFile,
  requestTicket,
  type PlannedFile,
  type PostOutcome,
  type Ticket,
} from './ticket-uploads.ts';

export interface CrashedUpload {
  file: PlannedFile;
  ticket: Ticket;
  /** Held mid-body when the emulator died. */
  held: boolean;
  outcome: PostOutcome;
}

export interface CrashRound {
  uploads: CrashedUpload[];
  /** Lambda workers of the emulator just before it was killed. */
  workerPids: number[];
  /** S3 events queued but not yet delivered at the moment of the kill. */
  pendingEvents: number;
}

/** 50 files: small ones, medium ones, and large ones held mid-stream (every fourth medium too). */
export function crashPlan(round: number, count = 50): Array<{ file: PlannedFile; held: boolean }> {
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 10 < 6 ? 'small' : i % 10 < 9 ? 'medium' : 'large';
    const size =
      kind === 'small'
        ? 512 + Math.floor(Math.random() * 32 * 1024)
        : kind === 'medium'
          ? 128 * 1024 + Math.floor(Math.random() * 896 * 1024)
          : 2 * 1024 * 1024 + Math.floor(Math.random() * 4 * 1024 * 1024);
    return { file: randomFile(`crash-${round}-${i}.txt`, size), held: kind === 'large' || i % 40 === 7 };
  });
}

/**
 * Gets a ticket for every file, starts every upload at once, and SIGKILLs the emulator once
 * every held upload is mid-body and half of the others have been answered; returns what each
 * client saw. Nothing here is timed: the kill follows the uploads' own progress.
 */
export async function uploadThroughCrash(
  emulator: CrashableEmulator,
  outputs: LabOutputs,
  plan: Array<{ file: PlannedFile; held: boolean }>,
  dataDir: string,
): Promise<CrashRound> {
  const tickets = await Promise.all(plan.map((p) => requestTicket(outputs, p.file)));
  const heldCount = plan.filter((p) => p.held).length;
  const freeCount = plan.length - heldCount;
  let paused = 0;
  let answered = 0;
  let release!: () => void;
  const resume = new Promise<void>((resolve) => (release = resolve));
  let killed: Promise<{ workerPids: number[]; pendingEvents: number }> | undefined;
  const killWhenReady = () => {
    if (killed || paused < heldCount || answered < Math.ceil(freeCount / 2)) return;
    killed = (async () => {
      const workerPids = (await lambdaWorkers()).filter((w) => w.ppid === emulator.pid).map((w) => w.pid);
      await emulator.crash();
      release();
      const events = await readdir(join(dataDir, 's3', 'events')).catch(() => [] as string[]);
      return { workerPids, pendingEvents: events.filter((f) => f.endsWith('.json')).length };
    })();
  };
  const outcomes = await Promise.all(
    plan.map(async ({ file, held }, i) => {
      const outcome = await postWithTicket(tickets[i]!, file, {
        ...(held
          ? {
              pauseAfter: Math.floor(file.body.length / 2),
              onPause: () => {
                paused++;
                killWhenReady();
              },
              resume,
            }
          : {}),
      });
      if (!held) {
        answered++;
        killWhenReady();
      }
      return outcome;
    }),
  );
  if (!killed) throw new Error('the uploads ended before the emulator could be killed');
  const { workerPids, pendingEvents } = await killed;
  return {
    uploads: plan.map((p, i) => ({ ...p, ticket: tickets[i]!, outcome: outcomes[i]! })),
    workerPids,
    pendingEvents,
  };
}
