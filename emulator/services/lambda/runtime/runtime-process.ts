import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Duplex } from 'node:stream';
import type { InvokeMessage, Outcome, RuntimeMessage } from './protocol.ts';

/** What to start: a runtime's bootstrap for one function configuration. */
export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** How long loading the handler may take before the environment is given up. */
  initLimitMs: number;
}

/**
 * One execution environment: a child process running a runtime bootstrap, spoken to over fd 3.
 * It runs one invocation at a time; what the function prints goes to `sink`.
 */
export class RuntimeProcess {
  readonly startedAt = Date.now();
  /** The CloudWatch Logs stream of this environment (`AWS_LAMBDA_LOG_STREAM_NAME`). */
  readonly logStream: string | undefined;
  lastUsed = Date.now();
  /** Resolves once the handler is loaded: undefined, or how starting failed. */
  readonly ready: Promise<Outcome | undefined>;
  private readonly child: ChildProcess;
  private readonly channel: Duplex;
  private pending: { id: string; settle: (o: Outcome) => void } | undefined;
  private starting: ((o: Outcome | undefined) => void) | undefined;
  private exitedWith: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  /** Where the output goes while an invocation runs; `fallback` otherwise (init, stray output). */
  sink: ((text: string) => void) | undefined;
  /** What the function printed while starting (its init phase). */
  initOutput = '';
  private started = false;

  constructor(
    spec: LaunchSpec,
    private readonly fallback: (text: string) => void,
    /** When this environment's credentials stop being usable (ms since epoch). */
    readonly retireAt = Infinity,
  ) {
    this.logStream = spec.env['AWS_LAMBDA_LOG_STREAM_NAME'];
    this.child = spawn(spec.command, spec.args, {
      env: spec.env,
      cwd: spec.cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    this.channel = this.child.stdio[3] as Duplex;
    // A runtime that dies with unread input resets its sockets; its exit is what counts.
    for (const stream of [this.channel, this.child.stdout!, this.child.stderr!])
      stream.on('error', () => undefined);
    this.child.stdout!.on('data', (chunk: Buffer) => this.onLog(chunk.toString('utf8')));
    this.child.stderr!.on('data', (chunk: Buffer) => this.onLog(chunk.toString('utf8')));
    createInterface({ input: this.channel, crlfDelay: Infinity }).on('line', (line) => this.receive(line));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitedWith = { code, signal };
        this.starting?.({ kind: 'exit', code, signal });
        this.settle({ kind: 'exit', code, signal });
        resolve();
      });
      this.child.once('error', (err) => {
        this.onLog(`could not start ${spec.command}: ${err.message}\n`);
        this.exitedWith = { code: 127, signal: null };
        this.starting?.({ kind: 'exit', code: 127, signal: null });
        resolve();
      });
    });
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => {
        void this.kill();
        resolve({ kind: 'timeout' });
      }, spec.initLimitMs);
      this.starting = (outcome) => {
        clearTimeout(timer);
        this.started = true;
        this.starting = undefined;
        resolve(outcome);
      };
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitedWith === undefined && !this.child.killed;
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Runs one invocation; a timeout kills the process (AWS discards the environment too). */
  invoke(message: InvokeMessage, timeoutMs: number): Promise<Outcome> {
    if (this.pending) throw new Error('runtime process is busy');
    this.lastUsed = Date.now();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settle({ kind: 'timeout' });
        void this.kill();
      }, timeoutMs);
      this.pending = {
        id: message.id,
        settle: (outcome) => {
          clearTimeout(timer);
          this.pending = undefined;
          this.lastUsed = Date.now();
          resolve(outcome);
        },
      };
      if (this.exitedWith) this.settle({ kind: 'exit', ...this.exitedWith });
      else this.channel.write(JSON.stringify(message) + '\n');
    });
  }

  /** Ends the process at once and waits for it to be gone. */
  async kill(): Promise<void> {
    if (this.exitedWith === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }

  private onLog(text: string): void {
    if (!this.started && this.initOutput.length < 65_536) this.initOutput += text;
    (this.sink ?? this.fallback)(text);
  }

  private settle(outcome: Outcome): void {
    this.pending?.settle(outcome);
  }

  private receive(line: string): void {
    let message: RuntimeMessage;
    try {
      message = JSON.parse(line) as RuntimeMessage;
    } catch {
      this.onLog(line + '\n');
      return;
    }
    switch (message.t) {
      case 'log':
        this.onLog(message.s);
        break;
      case 'ready':
        this.starting?.(undefined);
        break;
      case 'init-error':
        this.starting?.({ kind: 'init-error', error: message.error });
        break;
      case 'result':
        if (message.id === this.pending?.id) this.settle({ kind: 'result', payload: message.payload });
        break;
      case 'error':
        if (message.id === this.pending?.id)
          this.settle({ kind: 'error', error: message.error, ...(message.fatal ? { fatal: true } : {}) });
        break;
    }
  }
}
