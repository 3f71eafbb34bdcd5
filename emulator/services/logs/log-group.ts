import { mkdir } from 'node:fs/promises';
import { AppendLog } from '../../storage/append-log.ts';
import { logsErrors } from './errors.ts';

/** One stored event. `seq` orders events of equal timestamp and makes event ids and tokens stable. */
export interface StoredEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  seq: number;
}

export interface LogStream {
  name: string;
  creationTime: number;
  /** Sorted by (timestamp, seq). */
  events: StoredEvent[];
  lastIngestionTime?: number;
  storedBytes: number;
}

/** What the group's journal holds, one JSON record each, in the order it happened. */
type JournalRecord =
  | { t: 'group'; name: string; creationTime: number }
  | { t: 'retention'; days: number | null }
  | { t: 'stream'; name: string; creationTime: number }
  | { t: 'events'; stream: string; ingestionTime: number; events: Array<[number, string]> };

/**
 * A log group: its streams and their events in memory, and on disk an append-only journal of
 * what happened to it (`storage/append-log.ts`), so a PutLogEvents costs one durable append
 * whatever the group holds. Changes become visible only once their record is durable.
 */
export class LogGroup {
  readonly streams = new Map<string, LogStream>();
  retentionInDays: number | undefined;
  closed = false;
  private readonly creatingStreams = new Set<string>();
  private seq = 0;

  private constructor(
    readonly name: string,
    readonly creationTime: number,
    private readonly log: AppendLog,
  ) {}

  /** Creates the group's folder and journal; resolves once its first record is durable. */
  static async create(dir: string, name: string, creationTime: number): Promise<LogGroup> {
    await mkdir(dir, { recursive: true });
    const log = await AppendLog.open(dir, () => undefined);
    const group = new LogGroup(name, creationTime, log);
    await group.append({ t: 'group', name, creationTime });
    return group;
  }

  /** Replays a group's journal; undefined when it never got its first record (a crash mid-create). */
  static async load(dir: string): Promise<LogGroup | undefined> {
    const records: JournalRecord[] = [];
    const log = await AppendLog.open(dir, (payload) => {
      records.push(JSON.parse(payload.toString('utf8')) as JournalRecord);
    });
    const first = records[0];
    if (first?.t !== 'group') {
      await log.close();
      return undefined;
    }
    const group = new LogGroup(first.name, first.creationTime, log);
    for (const record of records.slice(1)) group.apply(record);
    group.prune(Date.now());
    return group;
  }

  get storedBytes(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.storedBytes;
    return n;
  }

  /** Events older than this are past the retention period and no longer returned. */
  cutoff(now: number): number {
    return this.retentionInDays === undefined ? -Infinity : now - this.retentionInDays * 86_400_000;
  }

  async createStream(name: string, creationTime: number): Promise<void> {
    if (this.streams.has(name) || this.creatingStreams.has(name)) throw logsErrors.streamExists();
    this.creatingStreams.add(name);
    try {
      await this.append({ t: 'stream', name, creationTime });
    } finally {
      this.creatingStreams.delete(name);
    }
  }

  /** Stores events already checked (chronological, in the windows); resolves once durable. */
  async putEvents(stream: string, events: Array<[number, string]>, ingestionTime: number): Promise<void> {
    if (!this.streams.has(stream)) throw logsErrors.streamNotFound();
    await this.append({ t: 'events', stream, ingestionTime, events });
  }

  async setRetention(days: number | undefined): Promise<void> {
    await this.append({ t: 'retention', days: days ?? null });
    this.prune(Date.now());
  }

  /** Lets go of events past the retention period (they stay in the journal until the group is deleted). */
  prune(now: number): void {
    const cutoff = this.cutoff(now);
    if (cutoff === -Infinity) return;
    for (const stream of this.streams.values()) {
      const keep = stream.events.findIndex((e) => e.timestamp >= cutoff);
      if (keep === 0) continue;
      const dropped = keep === -1 ? stream.events.splice(0) : stream.events.splice(0, keep);
      for (const e of dropped) stream.storedBytes -= Buffer.byteLength(e.message, 'utf8');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.log.close();
  }

  private async append(record: JournalRecord): Promise<void> {
    if (this.closed) throw logsErrors.groupNotFound();
    try {
      await this.log.append([Buffer.from(JSON.stringify(record), 'utf8')], () => this.apply(record));
    } catch (err) {
      // Deleted while the record was queued: the group is gone, as AWS would say.
      if (this.closed) throw logsErrors.groupNotFound();
      throw err;
    }
  }

  private apply(record: JournalRecord): void {
    switch (record.t) {
      case 'group':
        return;
      case 'retention':
        this.retentionInDays = record.days ?? undefined;
        return;
      case 'stream':
        this.streams.set(record.name, {
          name: record.name,
          creationTime: record.creationTime,
          events: [],
          storedBytes: 0,
        });
        return;
      case 'events': {
        const stream = this.streams.get(record.stream);
        if (!stream) return;
        for (const [timestamp, message] of record.events) {
          insertSorted(stream.events, {
            timestamp,
            message,
            ingestionTime: record.ingestionTime,
            seq: this.seq++,
          });
          stream.storedBytes += Buffer.byteLength(message, 'utf8');
        }
        stream.lastIngestionTime = record.ingestionTime;
      }
    }
  }
}

/** Events mostly arrive in order: append, or walk back to the place of a late one. */
function insertSorted(events: StoredEvent[], event: StoredEvent): void {
  let at = events.length;
  while (at > 0 && events[at - 1]!.timestamp > event.timestamp) at--;
  if (at === events.length) events.push(event);
  else events.splice(at, 0, event);
}
