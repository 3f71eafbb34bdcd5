import { join } from 'node:path';
import type { EmulatorEnv } from '../../core/env.ts';
import { AsyncInvocations } from './async-queue.ts';
import { writeFunctionLogs } from './cloudwatch-logs.ts';
import { CodeStore } from './code.ts';
import { runFunction, type InvocationResult } from './invoker.ts';
import { asInvoked, FunctionStore, type FunctionRecord } from './model.ts';
import { RoleSessions } from './role-sessions.ts';
import { RuntimeManager } from './runtime/manager.ts';

const ARN = /^arn:aws:lambda:([^:]+):\d{12}:function:([^:]+)(?::\$LATEST)?$/;

/** Everything the Lambda service holds: functions, their code, the runtime, role sessions, the async queue. */
export class LambdaState {
  readonly runtime: RuntimeManager;
  readonly sessions: RoleSessions;
  readonly async: AsyncInvocations;

  private constructor(
    readonly env: EmulatorEnv,
    readonly functions: FunctionStore,
    readonly code: CodeStore,
  ) {
    this.sessions = new RoleSessions(env);
    this.runtime = new RuntimeManager({
      endpoint: () => `http://localhost:${env.port}`,
      taskDir: (key) => code.taskDir(key),
      credentials: (record) => this.sessions.get(record),
      log: (name, text) =>
        env.logger.output
          ? env.logger.output(`fn:${name}`, text)
          : env.logger.info(`[fn:${name}] ${text.trimEnd()}`),
    });
    this.async = new AsyncInvocations(env.logger, async (arn, payload) => {
      const record = this.byArn(arn);
      return record && (await this.invoke(record, payload));
    });
  }

  static async open(env: EmulatorEnv): Promise<LambdaState> {
    const dir = join(env.dataDir, 'lambda');
    return new LambdaState(
      env,
      await FunctionStore.open(join(dir, 'functions'), env.logger, env.consistency),
      new CodeStore(join(dir, 'code')),
    );
  }

  /** The function an ARN (unqualified or `:$LATEST`) names. */
  byArn(arn: string): FunctionRecord | undefined {
    const m = ARN.exec(arn);
    return m ? this.functions.find(m[1]!, m[2]!) : undefined;
  }

  /** Runs the function synchronously, once it is Active (a function being created is waited for). */
  async invoke(record: FunctionRecord, payload: Buffer, clientContext?: unknown): Promise<InvocationResult> {
    let current = record;
    while (current.state === 'Pending' && current.settlesAt !== undefined) {
      await new Promise((r) => setTimeout(r, Math.max(10, current.settlesAt! - Date.now())));
      current = this.functions.find(record.region, record.name) ?? current;
    }
    // While an update is InProgress, invocations run the previous code and configuration (§11.2).
    const invoked = asInvoked(current);
    const result = await runFunction(this.runtime, this.env.logger, invoked, payload, clientContext);
    await writeFunctionLogs(this.env, invoked, result.log);
    return result;
  }

  /** Drops packages no function uses any more. */
  async pruneCode(): Promise<void> {
    // An update in progress still runs its previous package.
    await this.code.prune(
      new Set(
        this.functions.all().flatMap((r) => [r.code.key, ...(r.previous ? [r.previous.code.key] : [])]),
      ),
    );
  }

  async close(): Promise<void> {
    const draining = this.async.close();
    await this.runtime.close();
    await draining;
  }

  async reset(): Promise<void> {
    this.async.clear();
    await this.runtime.stopAll();
    this.sessions.clear();
    await this.functions.clear();
    await this.code.clear();
  }
}
